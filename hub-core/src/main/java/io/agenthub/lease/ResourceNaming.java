package io.agenthub.lease;

import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How resource names are made canonical, so that every spelling of one file leads to one lease. Every lease operation
 * (and anything else that names leased resources, such as handoffs) passes names through {@link #canonical} before it
 * reaches a store, so stores only ever see canonical names.
 *
 * <p>A name is read as a repository-relative path with {@code /} as the separator:
 *
 * <ul>
 *   <li>{@code \} is a separator too ({@code src\norm.ts} is {@code src/norm.ts}): agents on Windows send it, and a
 *       repository file whose name contains a backslash cannot be checked out on Windows anyway;
 *   <li>empty segments (repeated slashes) and {@code .} segments are removed, and {@code ..} removes the segment before
 *       it; a {@code ..} that would leave the root is refused;
 *   <li>a name ending in {@code /} stays a zone; so does one ending in {@code /.} or {@code /..}, which name a
 *       directory ({@code src/x/..} is the zone {@code src/});
 *   <li>an absolute path ({@code /work/repo/src/a.ts}, or {@code C:/repo/src/a.ts}) is accepted only under one of the
 *       configured {@code roots}, which is stripped ({@code src/a.ts}); any other absolute path is refused with a
 *       sentence that asks for a repository-relative one, since the hub cannot know where each agent's checkout lives;
 *   <li>the text is put in Unicode normal form C (macOS file systems hand out decomposed accents), and with
 *       {@code caseInsensitive} lowercased (for repositories on case-insensitive file systems).
 *   <li>a name that ends up empty (such as {@code .} or {@code x/..}) names the whole root and is refused.
 * </ul>
 *
 * <p>Names that are not paths keep working: {@code db:migrations}, {@code task:42} or {@code branch:main} contain no
 * separator or dot segment and so stay exactly as sent (only lowercased under {@code caseInsensitive}, which applies to
 * every name), and {@code task:}-style prefixes with {@code /} inside follow the path rules, which makes one spelling
 * of each. A single letter followed by {@code :} and a separator ({@code C:/}) is a Windows drive, hence absolute.
 *
 * @param roots absolute directory paths (such as the agents' checkout directories) that may prefix a name and are
 *     stripped from it, in the same syntax as names; longest first after construction
 * @param caseInsensitive lowercase every name, so that {@code Src/A.ts} and {@code src/a.ts} are one resource
 */
public record ResourceNaming(List<String> roots, boolean caseInsensitive) {
    /** Case-sensitive names, no root: absolute paths are refused. */
    public static final ResourceNaming DEFAULT = new ResourceNaming(List.of(), false);

    /** @throws IllegalArgumentException if a root is not an absolute path */
    public ResourceNaming {
        List<String> out = new ArrayList<>();
        for (String root : roots) {
            Path p = parse(fold(root, caseInsensitive));
            if (p == null || p.anchor().isEmpty() || p.segments().isEmpty()) {
                throw new IllegalArgumentException(
                        "root '" + root + "' must be an absolute directory path such as /work/repo or C:\\work\\repo");
            }
            out.add(p.anchor() + String.join("/", p.segments()));
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        roots = List.copyOf(out);
    }

    /**
     * The canonical form of {@code name}.
     *
     * @throws HubException.InvalidRequest if it is blank, too long, has surrounding spaces or control characters,
     *     escapes the root with {@code ..}, names the root itself, or is an absolute path outside every root
     */
    public String canonical(String name) {
        String raw = Require.text("resource", name, Resources.MAX_LENGTH);
        if (!raw.equals(raw.strip()) || raw.chars().anyMatch(Character::isISOControl)) {
            throw new HubException.InvalidRequest(
                    "resource must not have leading or trailing spaces or control characters.");
        }
        Path p = parse(fold(raw, caseInsensitive));
        if (p == null) {
            throw new HubException.InvalidRequest("Resource " + raw + " leaves the repository root with '..'; name a"
                    + " path inside the repository, such as src/main.ts.");
        }
        List<String> segments = p.segments();
        if (!p.anchor().isEmpty()) {
            segments = underRoot(raw, p);
        }
        if (segments.isEmpty()) {
            throw new HubException.InvalidRequest("Resource " + raw + " names the repository root itself; name a file"
                    + " or a zone inside it, such as src/ or src/main.ts.");
        }
        String out = String.join("/", segments) + (p.zone() ? "/" : "");
        if (out.length() > Resources.MAX_LENGTH) {
            throw new HubException.InvalidRequest(
                    "resource must be at most " + Resources.MAX_LENGTH + " characters long once canonical.");
        }
        return out;
    }

    /** Each of {@code names} made canonical, in order, duplicates (after canonicalisation) dropped. */
    public List<String> canonicalAll(List<String> names) {
        return names.stream().map(this::canonical).distinct().toList();
    }

    private List<String> underRoot(String raw, Path p) {
        String full = p.anchor() + String.join("/", p.segments());
        for (String root : roots) {
            if (full.equals(root)) {
                return List.of();
            }
            String prefix = root.endsWith("/") ? root : root + "/";
            if (full.startsWith(prefix)) {
                return List.of(full.substring(prefix.length()).split("/"));
            }
        }
        throw new HubException.InvalidRequest("Resource " + raw + " is an absolute path; send the path relative to the"
                + " repository root, such as src/main.ts"
                + (roots.isEmpty()
                        ? "."
                        : ", or an absolute path under " + String.join(" or ", roots) + " (lease-path-root)."));
    }

    private static String fold(String name, boolean caseInsensitive) {
        String n = Normalizer.normalize(name, Normalizer.Form.NFC).replace('\\', '/');
        return caseInsensitive ? n.toLowerCase(Locale.ROOT) : n;
    }

    /**
     * A name split into its anchor ({@code ""} if relative, {@code /} or {@code X:/} if absolute) and its resolved
     * segments; null if a {@code ..} leaves the root.
     */
    private static Path parse(String name) {
        String anchor = "";
        String rest = name;
        if (name.startsWith("/")) {
            anchor = "/";
        } else if (name.length() >= 2
                && isAsciiLetter(name.charAt(0))
                && name.charAt(1) == ':'
                && (name.length() == 2 || name.charAt(2) == '/')) {
            anchor = Character.toUpperCase(name.charAt(0)) + ":/";
            rest = name.substring(2);
        }
        List<String> segments = new ArrayList<>();
        String[] parts = rest.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
            } else {
                segments.add(part);
            }
        }
        String last = parts[parts.length - 1];
        boolean zone = last.isEmpty() || last.equals(".") || last.equals("..");
        return new Path(anchor, List.copyOf(segments), zone);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private record Path(String anchor, List<String> segments, boolean zone) {}
}
