package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.STRING;
import static io.agenthub.server.mcp.Params.Type.STRING_ARRAY;

import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lease tools (claims, locks and zones): the same {@link LeaseService} as {@code /api/leases}. */
final class LeaseTools {
    private static final String HELD = "The resource as lease_acquire named it";
    private static final String RESOURCE =
            "File path relative to the repository root, or a resource name, e.g. src/app/Main.java or db:migrations;"
                    + " end with '/' to lease a whole zone, e.g. src/app/. The hub makes it canonical (./src//a.ts is"
                    + " src/a.ts) and replies with that name";
    private static final String TOKEN = "Fencing token returned by lease_acquire";

    private final LeaseService leases;

    LeaseTools(LeaseService leases) {
        this.leases = leases;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                                "lease_acquire",
                                "Acquire a lease",
                                "Claim a file, resource or zone before you change it, so no other agent edits it at the same"
                                        + " time. Fails (isError) naming the holder and expiry if someone else holds it or an"
                                        + " overlapping zone. Returns a fencing token; keep it to renew or release. Acquiring"
                                        + " what you already hold extends it.",
                                Params.of()
                                        .required("resource", STRING, RESOURCE)
                                        .optional("ttlSeconds", INTEGER, "Seconds until it expires; default 600")
                                        .optional("note", STRING, "What you are doing with it, shown to others"),
                                Shapes.object(Shapes.LEASE),
                                (caller, a) -> {
                                    LeaseService.Grant g = leases.acquire(
                                            caller, a.string("resource"), a.integer("ttlSeconds"), a.string("note"));
                                    Lease l = g.lease();
                                    return Results.ok(
                                            (g.created() ? "Acquired " : "Extended ") + Lines.lease(l) + ".", l);
                                })
                        .asIdempotent(),
                HubTool.write(
                                "lease_renew",
                                "Renew a lease",
                                "Extend a lease you hold before it expires. Fails (isError) if the token no longer owns it.",
                                Params.of()
                                        .required("resource", STRING, HELD)
                                        .required("token", INTEGER, TOKEN)
                                        .optional(
                                                "ttlSeconds", INTEGER, "New lifetime from now in seconds; default 600"),
                                Shapes.object(Shapes.LEASE),
                                (caller, a) -> {
                                    Lease l = leases.renew(
                                            caller, a.string("resource"), a.integer("token"), a.integer("ttlSeconds"));
                                    return Results.ok("Renewed " + Lines.lease(l) + ".", l);
                                })
                        .asIdempotent(),
                HubTool.write(
                                "lease_release",
                                "Release a lease",
                                "Release a lease you hold as soon as you are done, so others can take it.",
                                Params.of().required("resource", STRING, HELD).required("token", INTEGER, TOKEN),
                                Shapes.object("released:boolean", "lease:object"),
                                (caller, a) -> {
                                    Lease l = leases.release(caller, a.string("resource"), a.integer("token"));
                                    return Results.ok(
                                            "Released `" + l.resource() + "` (token " + l.token() + ").",
                                            Map.of("released", true, "lease", l));
                                })
                        .asDestructive()
                        .asIdempotent(),
                HubTool.read(
                        "lease_check",
                        "Check leases",
                        "Check without claiming whether resources are free for you; lists who blocks each one.",
                        Params.of().required("resources", STRING_ARRAY, "Resource names or zones to check"),
                        Shapes.object("free:boolean", "conflicts:object"),
                        (caller, a) -> {
                            Map<String, List<Lease>> conflicts = leases.check(caller, a.strings("resources"));
                            boolean free = conflicts.values().stream().allMatch(List::isEmpty);
                            StringBuilder text = new StringBuilder(free ? "All free." : "Not all free:");
                            conflicts.forEach((resource, blockers) -> {
                                if (!blockers.isEmpty()) {
                                    text.append("\n- `")
                                            .append(resource)
                                            .append("` blocked by ")
                                            .append(Lines.lease(blockers.getFirst()));
                                }
                            });
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("free", free);
                            out.put("conflicts", conflicts);
                            return Results.ok(text.toString(), out);
                        }),
                HubTool.read(
                        "lease_list",
                        "List leases",
                        "List active leases: everyone's, or one holder's.",
                        Params.of().optional("holder", STRING, "Agent id; omit for all"),
                        Shapes.object("leases:array"),
                        (caller, a) -> {
                            String holder = a.string("holder");
                            List<Lease> list = holder == null ? leases.active() : leases.heldBy(holder);
                            return Results.ok(
                                    Lines.list(list.size() + " active lease(s).", list, Lines::lease),
                                    Map.of("leases", list));
                        }));
    }
}
