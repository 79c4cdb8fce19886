package io.agenthub.server.mcp;

import io.agenthub.flag.FlagService;
import java.util.List;
import java.util.Map;

/** The feature flag tool: the same {@link FlagService} as {@code GET /api/flags}. */
final class FlagTools {
    private final FlagService flags;

    FlagTools(FlagService flags) {
        this.flags = flags;
    }

    List<HubTool> tools() {
        return List.of(HubTool.read(
                "flags_get",
                "Read your feature flags",
                "Your feature flags, evaluated for you (your id, pool and version): key to value.",
                Params.none(),
                Shapes.object("version:integer", "flags:object"),
                (caller, a) -> {
                    FlagService.Evaluated e = flags.evaluate(caller);
                    return Results.ok(
                            e.flags().size() + " flag(s) at version " + e.version() + ": " + e.values() + ".",
                            Map.of("version", e.version(), "flags", e.values()));
                }));
    }
}
