package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.StallDetector;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffRequest;
import io.agenthub.lease.Lease;
import io.agenthub.message.Message;
import io.agenthub.tier.Tier;
import io.agenthub.usage.Directive;
import io.agenthub.usage.ModelCall;
import io.agenthub.usage.RoutingAdvice;
import io.agenthub.usage.UsageReceipt;
import java.time.Duration;
import java.util.List;

/** The agent lifecycle: usage directives, budgets and halts, handoffs, stall detection, model routing. */
final class LifecycleChecks {
    private LifecycleChecks() {}

    static List<Check> all() {
        return List.of(
                of("usage-directives", "usage", "usage reports answer warn and transfer at the context limits", s -> {
                    Principal a = s.agent("a1");
                    UsageReceipt ok =
                            s.hub.usage.report(a, new ModelCall("claude-sonnet-4-5", 1000, 100, 0, 0, 20_000L));
                    equal(ok.directive(), Directive.OK, "the directive at 20k tokens");
                    require(ok.costUsd().signum() > 0, "a priced call");
                    UsageReceipt warn =
                            s.hub.usage.report(a, new ModelCall("claude-sonnet-4-5", 1000, 100, 0, 0, 151_000L));
                    equal(warn.directive(), Directive.WARN, "the directive at 151k tokens");
                    UsageReceipt transfer =
                            s.hub.usage.report(a, new ModelCall("claude-sonnet-4-5", 1000, 100, 0, 0, 181_000L));
                    equal(transfer.directive(), Directive.TRANSFER, "the directive at 181k tokens");
                    require(transfer.handoffId() != null, "a transfer handoff");
                    return "ok, warn at 151k, transfer at 181k with handoff " + transfer.handoffId();
                }),
                of("budget-halt", "budgets", "past the halt threshold new work stops until acknowledged", s -> {
                    Principal a = s.agent("a1");
                    UsageReceipt r =
                            s.hub.usage.report(a, new ModelCall("claude-sonnet-4-5", 400_000_000, 0, 0, 0, null));
                    equal(r.directive(), Directive.HALT, "the directive after $1200 today");
                    refused(HubException.Conflict.class, () -> s.hub.leases.acquire(a, "x", 60L, ""), "new work");
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.MAINTENANCE, "the tier while the halt is in force");
                    s.hub.budgets.acknowledge(s.admin, null, "reviewed the spend");
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier after the acknowledgement");
                    require(s.hub.leases.acquire(a, "x", 60L, "").created(), "new work again");
                    return "halted at $" + r.fleetTodayUsd() + " (tier 4), lifted by an acknowledgement";
                }),
                of("handoff-moves-leases", "handoffs", "accepting a handoff moves its leases with new tokens", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Lease held =
                            s.hub.leases.acquire(a, "src/login.ts", 600L, "").lease();
                    Handoff h = s.hub.handoffs.create(
                            a,
                            new HandoffRequest(
                                    "b1",
                                    "finish login",
                                    "repro found",
                                    List.of("test"),
                                    List.of(),
                                    List.of("src/login.ts"),
                                    false,
                                    false));
                    Acceptance.Accepted accepted = s.hub.handoffs.accept(b, h.id());
                    equal(accepted.moved().size(), 1, "moved leases");
                    Lease moved = accepted.moved().getFirst();
                    equal(moved.holder(), "b1", "the new holder");
                    require(moved.token() > held.token(), "a new, larger fencing token");
                    require(s.hub.leases.heldBy("a1").isEmpty(), "a1 holds nothing");
                    return "handoff " + h.id() + " accepted; src/login.ts moved with token " + moved.token();
                }),
                of("stall-detection", "stalls", "an online agent without progress is stalled and woken", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                    for (int minute = 0; minute < 6; minute++) {
                        s.advance(Duration.ofMinutes(1));
                        s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                    }
                    StallDetector.Pass pass = s.hub.stalls.run();
                    equal(pass.newlyStalled(), List.of("a1"), "newly stalled agents");
                    List<Message> inbox = s.hub.messages.unread("a1", 10).messages();
                    require(!inbox.isEmpty(), "a wake notice in a1's inbox");
                    s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy, step 2", null);
                    require(s.hub.stalls.stalled().isEmpty(), "progress clears the stall");
                    return "stalled after 5 min of unchanged heartbeats, woken, cleared by progress";
                }),
                of("model-routing", "usage", "routing advice names a model per task complexity", s -> {
                    List<RoutingAdvice> advice = s.hub.usage.routing(null);
                    equal(advice.size(), 3, "pieces of advice");
                    return "advice: "
                            + advice.stream().map(RoutingAdvice::model).toList();
                }));
    }
}
