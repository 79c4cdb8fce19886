package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.STRING;

import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.errorlog.ErrorLogStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The errors tool: the same {@link ErrorLogService} as {@code POST /api/errors}. */
final class ErrorTools {
    private static final List<String> LEVELS = Arrays.stream(ErrorLevel.values())
            .map(l -> l.name().toLowerCase(Locale.ROOT))
            .toList();

    private final ErrorLogService errors;

    ErrorTools(ErrorLogService errors) {
        this.errors = errors;
    }

    List<HubTool> tools() {
        return List.of(HubTool.write(
                "error_report",
                "Report an error",
                "Report an error you hit (a failing build, a crash, a broken tool) so operators see it. The same"
                        + " error again (same title, culprit and stack) counts on its issue instead of opening a new"
                        + " one.",
                Params.of()
                        .required("title", STRING, "One line, e.g. Build failed in module parser")
                        .optional("message", STRING, "What happened")
                        .choice("level", "Severity; default error", false, LEVELS)
                        .optional("culprit", STRING, "Where: a file, module or command")
                        .optional("stackTrace", STRING, "The stack trace or error output")
                        .optional("fingerprint", STRING, "Your own grouping key; default from title, culprit, stack"),
                Shapes.object("issue:object", "created:boolean", "reopened:boolean"),
                (caller, a) -> {
                    ErrorLogStore.Recorded r = errors.report(
                            caller,
                            new ErrorLogService.NewError(
                                    a.string("title"),
                                    a.string("message"),
                                    a.string("level"),
                                    a.string("culprit"),
                                    a.string("stackTrace"),
                                    Map.of(),
                                    a.string("fingerprint")));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("issue", r.issue());
                    out.put("created", r.created());
                    out.put("reopened", r.reopened());
                    String what = r.created() ? "Opened" : r.reopened() ? "Reopened" : "Counted on";
                    return Results.ok(
                            what + " issue " + r.issue().id() + " (" + r.issue().count() + " occurrence(s)).", out);
                }));
    }
}
