package io.agenthub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code hub memories}: shared memory upkeep. */
final class MemoryCommands {
    private MemoryCommands() {}

    @Command(
            name = "memories",
            description = "Shared memory upkeep.",
            mixinStandardHelpOptions = true,
            subcommands = {Consolidate.class})
    static final class Memories implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("Usage: hub memories consolidate [--url URL] [--token TOKEN]");
            return 2;
        }
    }

    @Command(
            name = "consolidate",
            mixinStandardHelpOptions = true,
            description = "Merge near-duplicate memories and remove those never recalled within memory-decay-after,"
                    + " now (admin).")
    static final class Consolidate extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode r = client().memories().consolidate();
            System.out.println(
                    "Consolidated shared memory: examined " + r.path("examined").asInt() + ", merged "
                            + r.path("merged").asInt() + " near duplicate(s), decayed "
                            + r.path("decayed").asInt()
                            + " entr" + (r.path("decayed").asInt() == 1 ? "y" : "ies") + " never recalled.");
            return 0;
        }
    }
}
