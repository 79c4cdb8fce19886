package io.agenthub.server.drill;

import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.Presence;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.auth.Principal;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.error.HubException;
import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffRequest;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.hotstart.HotStart;
import io.agenthub.lease.Lease;
import io.agenthub.message.Message;
import io.agenthub.rollout.Rollout;
import io.agenthub.rollout.RolloutService;
import io.agenthub.server.selftest.Scratch;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskState;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.ModelCall;
import io.agenthub.usage.UsageReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The drill's script: three simulated agents of one run ({@code <run>-alpha}, {@code -bravo}, {@code -charlie}, in
 * pool {@code <run>}) work through the coordination features in order, each step relying on the state the earlier
 * ones left. Every name (agents, resources under {@code <run>/}, the chat channel, the pool, task labels) carries the
 * run id, and all of it lives in the run's scratch namespace.
 */
final class DrillScenario {
    /** One step: what it does and what it verified, as a sentence; throws to fail, {@link Skip} to skip. */
    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    /** A named step. */
    record Step(String name, Body body) {}

    /** Thrown by a step that does not apply; the message says why. */
    static final class Skip extends RuntimeException {
        Skip(String why) {
            super(why, null, false, false);
        }
    }

    private final String run;
    private final Scratch s;
    private final LiveHub live;
    private final Principal liveCaller;
    private Principal alpha;
    private Principal bravo;
    private Principal charlie;
    private long checkpointVersion;

    /**
     * @param live what the drill uses of the live hub; only the live tier step changes it
     * @param liveCaller the admin who asked for the live tier step; null: the step is skipped
     */
    DrillScenario(String run, Scratch s, LiveHub live, Principal liveCaller) {
        this.run = run;
        this.s = s;
        this.live = live;
        this.liveCaller = liveCaller;
    }

    List<Step> steps() {
        return List.of(
                new Step("register", this::register),
                new Step("claim-conflict", this::claimConflict),
                new Step("chat-mention", this::chatMention),
                new Step("handoff", this::handoff),
                new Step("task-lifecycle", this::task),
                new Step("checkpoint", this::checkpoint),
                new Step("kill-handoff", this::killHandoff),
                new Step("restart-soul", this::restartSoul),
                new Step("budget-level", this::budgetLevel),
                new Step("tier-change", this::tierChange),
                new Step("tier-live", this::tierLive),
                new Step("canary-step", this::canaryStep));
    }

    private String id(String who) {
        return run + "-" + who;
    }

    private Principal agent(String who, String version) {
        return s.agent(id(who), Map.of("pool", run, "version", version));
    }

    private String register() {
        alpha = agent("alpha", "v1");
        bravo = agent("bravo", "v1");
        charlie = agent("charlie", "v2");
        for (Principal p : List.of(alpha, bravo, charlie)) {
            s.hub.agents.heartbeat(p, AgentStatus.ACTIVE, null, null);
        }
        long online = s.hub.agents.list().stream()
                .filter(a -> a.id().startsWith(run) && a.presence() == Presence.ONLINE)
                .count();
        require(online == 3, "3 agents online, got " + online);
        return "3 agents registered and online in pool " + run;
    }

    private String claimConflict() {
        String zone = run + "/src/";
        s.hub.leases.acquire(alpha, zone, 600L, "drill");
        try {
            s.hub.leases.acquire(bravo, zone + "app.ts", 60L, "drill");
            throw new AssertionError("a file inside alpha's zone was granted to bravo");
        } catch (HubException.Conflict expected) {
            // the conflict this step is about
        }
        require(
                s.hub.leases
                        .acquire(bravo, run + "/docs/readme.md", 600L, "drill")
                        .created(),
                "bravo's own file");
        return "zone " + zone + " blocked bravo's file inside it; bravo took " + run + "/docs/readme.md";
    }

    private String chatMention() throws Exception {
        Message m = s.hub.messages.post(alpha, run, "@" + id("bravo") + " please review " + run + "/src/", null);
        require(m.mentions().contains(id("bravo")), "the mention parsed");
        List<Message> inbox = s.hub.messages.unread(id("bravo"), 20).messages();
        require(inbox.stream().anyMatch(x -> x.id().equals(m.id())), "the mention in bravo's inbox");
        return "alpha mentioned bravo in #" + run + "; it reached bravo's inbox";
    }

    private String handoff() {
        String zone = run + "/src/";
        Handoff h = s.hub.handoffs.create(
                alpha,
                new HandoffRequest(
                        id("bravo"),
                        "finish the drill refactor",
                        "tests pass locally",
                        List.of("run the suite"),
                        List.of(),
                        List.of(zone),
                        false,
                        false));
        Acceptance.Accepted a = s.hub.handoffs.accept(bravo, h.id());
        require(a.moved().size() == 1, "one lease moved, got " + a.moved().size());
        require(a.moved().getFirst().holder().equals(id("bravo")), "bravo holds the zone");
        return "handoff " + h.id() + " accepted; " + zone + " moved to bravo with token "
                + a.moved().getFirst().token();
    }

    private String task() {
        Task created = s.hub.tasks.create(
                s.admin,
                new NewTask(
                        "drill task",
                        "touch a file",
                        0,
                        List.of(run),
                        run,
                        List.of(),
                        null,
                        List.of(run + "/tasks/one.txt"),
                        List.of(),
                        null,
                        0));
        Task claimed = s.hub.tasks
                .claim(bravo, 300L, Duration.ZERO)
                .orElseThrow(() -> new AssertionError("bravo could not claim the drill task"));
        require(claimed.id().equals(created.id()), "bravo claimed the drill task");
        Task done = s.hub.tasks.complete(bravo, claimed.id(), claimed.claim().token(), "done");
        require(done.state() == TaskState.DONE, "the task completed, got " + done.state());
        return "task " + created.id() + " created, claimed by bravo and completed";
    }

    private String checkpoint() {
        s.hub.agents.heartbeat(charlie, AgentStatus.BUSY, run + " deploy", null);
        Checkpoint cp = s.hub.checkpoints.save(
                charlie,
                new CheckpointData(
                        run + " deploy",
                        "staging deployed, production next",
                        List.of("deploy in two waves"),
                        List.of(),
                        List.of("deploy production"),
                        List.of(run + "/ops/deploy.sh"),
                        "",
                        0));
        checkpointVersion = cp.version();
        return "charlie saved checkpoint v" + cp.version();
    }

    private String killHandoff() {
        String file = run + "/ops/deploy.sh";
        s.hub.leases.acquire(charlie, file, 3600L, "deploy");
        // charlie stops heartbeating; the others keep beating while time passes the stale mark and the grace.
        for (int i = 0; i < 6; i++) {
            s.advance(Duration.ofSeconds(51));
            s.hub.agents.heartbeat(alpha, AgentStatus.ACTIVE, null, null);
            s.hub.agents.heartbeat(bravo, AgentStatus.ACTIVE, null, null);
        }
        PresenceReaper.Pass pass = s.hub.reaper.run();
        require(pass.stale().contains(id("charlie")), "charlie judged stale, got " + pass.stale());
        if (pass.handedOver().isEmpty()) {
            require(
                    pass.released().stream().anyMatch(l -> l.resource().equals(file)),
                    "charlie's lease released or handed over");
            s.hub.leases.acquire(bravo, file, 600L, "took over");
            return "charlie went silent; its lease was released after the grace and bravo took " + file;
        }
        Handoff h = s.hub.handoffs.list(s.admin, HandoffStatus.PENDING, false, 20).stream()
                .filter(x -> x.kind() == Handoff.Kind.REAPED)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no handoff of charlie's work"));
        Acceptance.Accepted a = s.hub.handoffs.accept(bravo, h.id());
        require(
                a.moved().stream().map(Lease::resource).anyMatch(file::equals),
                "bravo got " + file + " through the handoff");
        return "charlie went silent; handoff " + h.id() + " of " + file + " taken by bravo";
    }

    private String restartSoul() {
        s.hub.agents.heartbeat(charlie, AgentStatus.ACTIVE, null, null);
        HotStart h = s.hub.hotStart.build(charlie, null, null);
        require(h.checkpoint() != null, "a checkpoint in charlie's hot-start");
        require(
                h.checkpoint().version() == checkpointVersion,
                "checkpoint v" + checkpointVersion + ", got v" + h.checkpoint().version());
        require(h.prompt().contains("checkpoint v" + checkpointVersion), "the prompt names the checkpoint");
        return "charlie restarted; hot-start (" + h.promptChars() + " characters) names checkpoint v"
                + checkpointVersion;
    }

    private String budgetLevel() {
        // At $3 per million input tokens, 40 million is $120: past the $100 info threshold of the scratch budget.
        UsageReceipt r = s.hub.usage.report(alpha, new ModelCall("claude-sonnet-4-5", 40_000_000, 0, 0, 0, null));
        require(r.budgetLevel() != BudgetLevel.NORMAL, "a budget level above normal, got " + r.budgetLevel());
        return "scratch fleet spend $" + r.fleetTodayUsd() + " crossed into level " + r.budgetLevel()
                + " (the live fleet's budget is untouched)";
    }

    private String tierChange() {
        TierChange down = s.hub.tiers.set(s.admin, 2, "drill " + run, null, Map.of());
        require(down.tier() == Tier.REDUCED, "tier 2, got " + down.tier());
        TierChange back = s.hub.tiers.set(s.admin, 1, "drill " + run + " done", null, Map.of());
        require(back.tier() == Tier.FULL, "tier 1 again, got " + back.tier());
        return "scratch tier 1 -> 2 -> 1";
    }

    private String tierLive() {
        if (liveCaller == null) {
            throw new Skip("the live hub's tier changes only when asked (hub drill --live-tier): it affects the fleet");
        }
        TierChange before = live.tiers().current();
        int baseline = before.baseline().number();
        int other = baseline == 1 ? 2 : 1;
        Map<String, Tier> demanded = live.alerts().demandedTiers();
        live.tiers().set(liveCaller, other, "coordination drill " + run, null, demanded);
        TierChange restored =
                live.tiers().set(liveCaller, baseline, "coordination drill " + run + " done", null, demanded);
        require(restored.baseline() == before.baseline(), "the live baseline restored");
        return "live tier baseline " + baseline + " -> " + other + " -> " + baseline;
    }

    private String canaryStep() {
        Rollout started = s.hub.rollouts.canary(
                s.admin,
                run,
                new RolloutService.CanaryRequest("v2", "v1", List.of(25, 100), Duration.ZERO, null, null));
        require(started.weight() == 25, "the canary at 25%, got " + started.weight());
        Rollout promoted = s.hub.rollouts.promote(s.admin, run);
        require(promoted.weight() == 100, "the canary promoted to 100%, got " + promoted.weight());
        Task next = s.hub.tasks.create(
                s.admin,
                new NewTask(
                        "after the canary", "", 0, List.of(run), run, List.of(), null, List.of(), List.of(), null, 0));
        require("v2".equals(next.version()), "new tasks routed to v2, got '" + next.version() + "'");
        return "canary v2 at 25%, promoted to 100%; new tasks of pool " + run + " go to v2";
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("expected " + what);
        }
    }
}
