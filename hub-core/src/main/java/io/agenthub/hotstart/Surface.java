package io.agenthub.hotstart;

/**
 * How a briefing names the hub's actions: as REST routes for HTTP clients, or as MCP tools for MCP clients, so that an
 * agent is told to do what it can actually call.
 */
public enum Surface {
    /** {@code POST /api/...} routes. */
    REST {
        @Override
        String reportUsage() {
            return "POST /api/usage";
        }

        @Override
        String accept(String handoff) {
            return "POST /api/handoffs/" + handoff + "/accept";
        }

        @Override
        String decline(String handoff) {
            return "POST /api/handoffs/" + handoff + "/decline";
        }

        @Override
        String complete(String handoff) {
            return "POST /api/handoffs/" + handoff + "/complete";
        }
    },
    /** MCP tool names with their arguments. */
    MCP {
        @Override
        String reportUsage() {
            return "the usage_report tool";
        }

        @Override
        String accept(String handoff) {
            return "handoff_accept id=" + handoff;
        }

        @Override
        String decline(String handoff) {
            return "handoff_decline id=" + handoff;
        }

        @Override
        String complete(String handoff) {
            return "handoff_complete id=" + handoff;
        }
    };

    abstract String reportUsage();

    abstract String accept(String handoff);

    abstract String decline(String handoff);

    abstract String complete(String handoff);
}
