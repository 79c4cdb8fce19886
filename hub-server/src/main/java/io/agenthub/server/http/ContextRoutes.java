package io.agenthub.server.http;

import io.agenthub.digest.Digest;
import io.agenthub.digest.DigestService;
import io.agenthub.error.HubException;
import io.agenthub.hotstart.HotStart;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.server.wire.Since;
import java.time.InstantSource;

/** {@code /api/hot-start} (soul injection) and {@code /api/digest}: context assembled from every domain. */
public final class ContextRoutes {
    private final HotStartService hotStart;
    private final DigestService digest;
    private final InstantSource clock;

    private final io.agenthub.flag.FlagService flags;

    /** @param flags the agent's evaluated feature flags go into the hot-start bundle */
    public ContextRoutes(
            HotStartService hotStart, DigestService digest, InstantSource clock, io.agenthub.flag.FlagService flags) {
        this.flags = flags;
        this.hotStart = hotStart;
        this.digest = digest;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/api/hot-start", Access.READ, call -> {
            HotStart bundle = hotStart.build(
                    call.principal(),
                    call.query("agentId"),
                    call.queryInt("maxChars", HotStartService.MIN_CHARS, HotStartService.MAX_CHARS));
            String agent =
                    call.query("agentId") == null || call.query("agentId").isEmpty()
                            ? call.principal().id()
                            : call.query("agentId");
            java.util.Map<String, Object> flagValues = flags.evaluate(agent).values();
            if (markdown(call)) {
                String prompt =
                        bundle.prompt() + (flagValues.isEmpty() ? "" : "\n\n## Feature flags\n\n" + flagValues + "\n");
                return Reply.text("text/markdown", prompt);
            }
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> out = JsonCodec.MAPPER.convertValue(bundle, java.util.LinkedHashMap.class);
            out.put("flags", flagValues);
            return Reply.ok(out);
        });
        r.get("/api/digest", Access.READ, call -> {
            Digest d = digest.build(call.principal(), call.query("agentId"), Since.parse(call.query("since"), clock));
            return markdown(call) ? Reply.text("text/markdown", d.markdown()) : Reply.ok(d);
        });
    }

    private static boolean markdown(Call call) {
        String format = call.query("format");
        if (format == null || format.equals("json")) {
            return false;
        }
        if (format.equals("markdown") || format.equals("md")) {
            return true;
        }
        throw new HubException.InvalidRequest("format must be json or markdown.");
    }
}
