package io.agenthub.server.mcp;

import io.agenthub.error.HubException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tool call's arguments after they were checked against the tool's {@link Params}: every required argument is
 * present, every value has its declared JSON type and range, and no unknown argument was sent. A violation is an input
 * validation error, which the 2025-11-25 protocol reports as a tool result with {@code isError: true} (SEP-1303), so
 * it fails with {@link HubException.InvalidRequest} naming the argument and what to send instead.
 */
final class Args {
    private final Map<String, Object> values;

    private Args(Map<String, Object> values) {
        this.values = values;
    }

    static Args check(String tool, Params params, Map<String, Object> arguments) {
        for (String name : arguments.keySet()) {
            if (params.find(name) == null) {
                String accepted = params.list().isEmpty()
                        ? "it takes no arguments"
                        : "it accepts "
                                + params.list().stream().map(Params.Param::name).collect(Collectors.joining(", "));
                throw invalid(name, tool + " has no argument '" + name + "'; " + accepted + ".");
            }
        }
        for (Params.Param p : params.list()) {
            Object v = arguments.get(p.name());
            if (v == null) {
                if (p.required()) {
                    throw invalid(p.name(), tool + " needs the argument '" + p.name() + "' (" + p.description() + ").");
                }
                continue;
            }
            if (!hasType(v, p.type())) {
                throw invalid(
                        p.name(),
                        tool + ": argument '" + p.name() + "' must be " + article(p.type()) + "; got " + describe(v)
                                + ".");
            }
            if (!p.choices().isEmpty() && !p.choices().contains(v)) {
                throw invalid(
                        p.name(),
                        tool + ": argument '" + p.name() + "' must be one of " + String.join(", ", p.choices())
                                + "; got '" + v + "'.");
            }
        }
        return new Args(arguments);
    }

    /** A string argument, or null when absent. */
    String string(String name) {
        return (String) values.get(name);
    }

    /** A whole-number argument, or null when absent. */
    Long integer(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).longValue();
    }

    /** A whole-number argument that fits an int (larger values are clamped, for the service to refuse with its range). */
    Integer smallInteger(String name) {
        Long v = integer(name);
        return v == null ? null : (int) Math.clamp(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A number argument, or null when absent. */
    Double number(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** A list-of-strings argument; empty when absent. */
    List<String> strings(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) v) {
            out.add((String) item);
        }
        return out;
    }

    private static boolean hasType(Object v, Params.Type type) {
        return switch (type) {
            case STRING -> v instanceof String;
            case NUMBER -> v instanceof Number;
            case INTEGER -> isWhole(v);
            case STRING_ARRAY -> v instanceof List<?> list && list.stream().allMatch(i -> i instanceof String);
        };
    }

    private static boolean isWhole(Object v) {
        return switch (v) {
            case Integer i -> true;
            case Long l -> true;
            case Short s -> true;
            case BigInteger b -> b.bitLength() < 64;
            case Double d -> d == Math.rint(d) && Math.abs(d) < 9.0e15;
            case Float f -> f == Math.rint(f) && Math.abs(f) < 1.0e7;
            case BigDecimal b ->
                b.stripTrailingZeros().scale() <= 0 && b.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
            default -> false;
        };
    }

    private static String article(Params.Type type) {
        return switch (type) {
            case STRING -> "a string";
            case INTEGER -> "a whole number";
            case NUMBER -> "a number";
            case STRING_ARRAY -> "an array of strings";
        };
    }

    private static String describe(Object v) {
        return switch (v) {
            case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a " + v.getClass().getSimpleName();
        };
    }

    private static HubException.InvalidRequest invalid(String argument, String message) {
        return new HubException.InvalidRequest(message, Map.of("field", argument));
    }
}
