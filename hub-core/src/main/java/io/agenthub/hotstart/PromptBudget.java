package io.agenthub.hotstart;

/**
 * Builds text within a hard character budget. Sections are added in priority order; an item that does not fit is left
 * out (and counted), so the result never exceeds the budget.
 */
final class PromptBudget {
    private final StringBuilder text = new StringBuilder();
    private final int max;
    private int reserved;

    PromptBudget(int max) {
        this.max = max;
    }

    /** Keeps {@code chars} free for a closing part added with {@link #appendReserved}. */
    void reserve(int chars) {
        reserved += chars;
    }

    int remaining() {
        return max - reserved - text.length();
    }

    /** Appends {@code s} if it fits; returns whether it did. */
    boolean tryAppend(String s) {
        if (s.length() > remaining()) {
            return false;
        }
        text.append(s);
        return true;
    }

    /** Appends {@code s}, cut to what fits (with an ellipsis); returns false if not even the cut version fits. */
    boolean appendCut(String s, int minUseful) {
        if (tryAppend(s)) {
            return true;
        }
        int room = remaining() - 2;
        if (room < minUseful) {
            return false;
        }
        String cut = s.substring(0, room).stripTrailing();
        text.append(cut).append("…\n");
        return true;
    }

    /** Appends part of the reserved room. */
    void appendReserved(String s) {
        reserved = Math.max(0, reserved - s.length());
        if (s.length() <= max - text.length()) {
            text.append(s);
        }
    }

    int length() {
        return text.length();
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** Cuts one field to at most {@code n} characters. */
    static String clip(String s, int n) {
        String oneLine = s.replace('\n', ' ').strip();
        return oneLine.length() <= n ? oneLine : oneLine.substring(0, Math.max(0, n - 1)) + "…";
    }
}
