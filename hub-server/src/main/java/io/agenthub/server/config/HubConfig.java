package io.agenthub.server.config;

import io.agenthub.error.HubException;
import io.agenthub.lease.ResourceNaming;
import io.agenthub.store.redis.RedisTls;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's immutable configuration. Sources, lowest precedence first: defaults, a properties file ({@code --config},
 * {@code HUB_CONFIG}, or {@code <data-dir>/hub.properties} if present), {@code HUB_*} environment variables, and
 * command-line flags. {@link #load} validates everything and names the bad setting.
 */
public record HubConfig(Map<String, String> values) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** A setting whose value is invalid. */
    public static final class InvalidSetting extends RuntimeException {
        public InvalidSetting(String message) {
            super(message);
        }
    }

    public HubConfig {
        values = Map.copyOf(values);
    }

    /**
     * Resolves the configuration.
     *
     * @param env the process environment
     * @param flags values given on the command line, by setting key
     * @param configFile an explicit config file, or null
     */
    public static HubConfig load(Map<String, String> env, Map<String, String> flags, Path configFile) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Setting s : Setting.ALL) {
            resolved.put(s.key(), s.defaultValue());
        }
        Path file =
                configFile != null ? configFile : env.containsKey("HUB_CONFIG") ? Path.of(env.get("HUB_CONFIG")) : null;
        if (file == null) {
            String dataDir = flags.getOrDefault(
                    Setting.DATA_DIR.key(), env.getOrDefault(Setting.DATA_DIR.env(), Setting.DATA_DIR.defaultValue()));
            Path implicit = Path.of(dataDir, "hub.properties");
            file = Files.isRegularFile(implicit) ? implicit : null;
        }
        if (file != null) {
            resolved.putAll(readFile(file));
        }
        for (Setting s : Setting.ALL) {
            if (env.containsKey(s.env())) {
                resolved.put(s.key(), env.get(s.env()));
            }
        }
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            if (!resolved.containsKey(flag.getKey())) {
                throw new InvalidSetting("Unknown setting '" + flag.getKey() + "'.");
            }
            resolved.put(flag.getKey(), flag.getValue());
        }
        HubConfig config = new HubConfig(resolved);
        config.validate();
        return config;
    }

    /** Defaults only, with overrides; for tests. */
    public static HubConfig of(Map<String, String> overrides) {
        return load(Map.of(), overrides, null);
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new InvalidSetting("Cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (Setting.ALL.stream().noneMatch(s -> s.key().equals(key))) {
                throw new InvalidSetting("Unknown setting '" + key + "' in " + file + ".");
            }
            out.put(key, p.getProperty(key).strip());
        }
        return out;
    }

    private void validate() {
        if (string(Setting.BIND).isBlank()) {
            throw invalid(Setting.BIND, "must name an address");
        }
        String token = string(Setting.ADMIN_TOKEN);
        if (!token.isEmpty() && token.length() < 24) {
            throw new InvalidSetting(Setting.ADMIN_TOKEN.env() + " must be at least 24 characters long.");
        }
        String sync = string(Setting.SQLITE_SYNC).toLowerCase(Locale.ROOT);
        if (!sync.equals("normal") && !sync.equals("full")) {
            throw invalid(Setting.SQLITE_SYNC, "must be normal or full");
        }
        String redis = string(Setting.REDIS_URL);
        if (!redis.isEmpty() && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw new InvalidSetting(Setting.REDIS_URL.env() + " must start with redis:// or rediss://.");
        }
        if (string(Setting.REDIS_PREFIX).chars().anyMatch(c -> c == '{' || c == '}' || Character.isWhitespace(c))) {
            throw invalid(Setting.REDIS_PREFIX, "must not contain braces or whitespace");
        }
        redisTls();
        publicUrl(0);
        for (Setting s : Setting.ALL) {
            checkType(s);
        }
        validateOperations();
        if (duration(Setting.LEASE_DEFAULT_TTL).compareTo(duration(Setting.LEASE_MAX_TTL)) > 0) {
            throw invalid(Setting.LEASE_DEFAULT_TTL, "must not exceed " + Setting.LEASE_MAX_TTL.key());
        }
        resourceNaming();
        if (duration(Setting.TASK_DEFAULT_TTL).compareTo(duration(Setting.TASK_MAX_TTL)) > 0) {
            throw invalid(Setting.TASK_DEFAULT_TTL, "must not exceed " + Setting.TASK_MAX_TTL.key());
        }
        if (integer(Setting.TASK_MAX_ATTEMPTS) > io.agenthub.task.TaskPolicy.MAX_ATTEMPTS) {
            throw invalid(Setting.TASK_MAX_ATTEMPTS, "must be at most " + io.agenthub.task.TaskPolicy.MAX_ATTEMPTS);
        }
        String sessionEnd = string(Setting.HOOK_SESSION_END_LEASES);
        if (!java.util.Set.of("release", "handoff", "keep").contains(sessionEnd)) {
            throw invalid(Setting.HOOK_SESSION_END_LEASES, "must be release, handoff or keep");
        }
        bool(Setting.HOOK_LEASE_AUTO_ACQUIRE);
        bool(Setting.HOOK_TRANSCRIPTS);
        if (duration(Setting.OFFLINE_AFTER)
                        .compareTo(duration(Setting.HEARTBEAT_INTERVAL).multipliedBy(integer(Setting.MISSED_BEATS)))
                < 0) {
            throw invalid(Setting.OFFLINE_AFTER, "must be at least heartbeat-interval x missed-beats");
        }
        LifecycleSettings.from(this);
    }

    /** The rule of the setting's declared {@link Setting.Type}. */
    private void checkType(Setting s) {
        switch (s.type()) {
            case TEXT -> {}
            case PORT -> {
                int port = integer(s);
                if (port < 0 || port > 65535) {
                    throw invalid(s, "must be between 0 and 65535");
                }
            }
            case COUNT -> {
                if (integer(s) < 1) {
                    throw invalid(s, "must be at least 1");
                }
            }
            case COUNT_OR_ZERO -> {
                if (wholeNumber(s) < 0) {
                    throw invalid(s, "must be a whole number, 0 or more");
                }
            }
            case DURATION -> {
                if (duration(s).isZero()) {
                    throw invalid(s, "must be positive");
                }
            }
            case DURATION_OR_ZERO -> duration(s);
        }
    }

    private void validateOperations() {
        for (Setting s : new Setting[] {
            Setting.TIER_AUTO_ERROR_RATE,
            Setting.TIER_AUTO_PASS_RATE,
            Setting.ALERT_ERROR_RATE,
            Setting.ALERT_SELF_TEST_PASS_RATE,
            Setting.SCALING_HIGH_UTILIZATION
        }) {
            double v = decimal(s);
            if (v < 0 || v > 1) {
                throw invalid(s, "must be a fraction between 0 and 1, e.g. 0.05 for 5%");
            }
        }
        for (Setting s : new Setting[] {
            Setting.STATUS_AGENT_COUNT,
            Setting.STATUS_AVG_RESPONSE,
            Setting.STATUS_ERROR_RATE,
            Setting.STATUS_CONFLICT_RATE,
            Setting.STATUS_PASS_RATE
        }) {
            double[] p = pair(s);
            boolean higherIsBetter = s == Setting.STATUS_AGENT_COUNT || s == Setting.STATUS_PASS_RATE;
            if (higherIsBetter ? p[1] > p[0] : p[1] < p[0]) {
                throw invalid(s, "must list the good bound, then the warning bound beyond it");
            }
        }
        String label = string(Setting.TIER_CORE_LABEL);
        if (!label.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}=.+")) {
            throw invalid(Setting.TIER_CORE_LABEL, "must be a label as key=value");
        }
        if (!string(Setting.ALERT_DAILY_TOKEN_BUDGET).isBlank()) {
            try {
                if (Long.parseLong(string(Setting.ALERT_DAILY_TOKEN_BUDGET).strip()) < 1) {
                    throw invalid(Setting.ALERT_DAILY_TOKEN_BUDGET, "must be positive");
                }
            } catch (NumberFormatException e) {
                throw invalid(Setting.ALERT_DAILY_TOKEN_BUDGET, "must be a whole number of tokens");
            }
        }
        for (String hook : list(Setting.ALERT_WEBHOOKS)) {
            String url = hook.startsWith("slack:") ? hook.substring("slack:".length()) : hook;
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new InvalidSetting("Setting " + Setting.ALERT_WEBHOOKS.key() + " (" + Setting.ALERT_WEBHOOKS.env()
                        + ") must list http(s) URLs, each optionally prefixed with slack:.");
            }
        }
        bool(Setting.SELF_TEST_ON_START);
        httpsKeyStore();
    }

    /** The certificate and key to serve HTTPS with, or null for plain HTTP; checked when the configuration loads. */
    public java.security.KeyStore httpsKeyStore() {
        Path cert = path(Setting.TLS_CERT);
        Path key = path(Setting.TLS_KEY);
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new InvalidSetting("HTTPS needs both " + Setting.TLS_CERT.key() + " (" + Setting.TLS_CERT.env()
                    + ") and " + Setting.TLS_KEY.key() + " (" + Setting.TLS_KEY.env() + "): PEM files of the"
                    + " certificate chain and its private key.");
        }
        try {
            return Pem.keyStore(cert, key);
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(
                    e.getMessage() + " (settings " + Setting.TLS_CERT.key() + " and " + Setting.TLS_KEY.key() + ")");
        }
    }

    /** How lease resource names are made canonical ({@code lease-path-root}, {@code lease-case-insensitive}). */
    public ResourceNaming resourceNaming() {
        try {
            return new ResourceNaming(list(Setting.LEASE_PATH_ROOT), bool(Setting.LEASE_CASE_INSENSITIVE));
        } catch (IllegalArgumentException e) {
            throw invalid(
                    Setting.LEASE_PATH_ROOT,
                    "must list absolute directory paths, such as /work/repo or C:\\work\\repo");
        }
    }

    /** A decimal number such as {@code 0.05}. */
    public double decimal(Setting s) {
        try {
            return Double.parseDouble(string(s).strip());
        } catch (NumberFormatException e) {
            throw invalid(s, "must be a number such as 0.05");
        }
    }

    /** Two numbers written {@code a,b}. */
    public double[] pair(Setting s) {
        String[] parts = string(s).split(",");
        if (parts.length != 2) {
            throw invalid(s, "must be two numbers separated by a comma, e.g. 0.01,0.05");
        }
        try {
            return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
        } catch (NumberFormatException e) {
            throw invalid(s, "must be two numbers separated by a comma, e.g. 0.01,0.05");
        }
    }

    /** {@code true} or {@code false}. */
    public boolean bool(Setting s) {
        String v = string(s).strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(s, "must be true or false");
        }
        return v.equals("true");
    }

    /** A comma-separated list; empty for a blank value. */
    public java.util.List<String> list(Setting s) {
        return java.util.Arrays.stream(string(s).split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    public String string(Setting s) {
        return values.get(s.key());
    }

    /** A setting of type {@link Setting.Type#COUNT_OR_ZERO} as a long (quotas in bytes may pass an int). */
    public long wholeNumber(Setting s) {
        try {
            return Long.parseLong(string(s).strip());
        } catch (NumberFormatException e) {
            throw invalid(s, "must be a whole number, 0 or more");
        }
    }

    public int integer(Setting s) {
        try {
            return Integer.parseInt(string(s).strip());
        } catch (NumberFormatException e) {
            throw invalid(s, "must be a whole number");
        }
    }

    /** Durations are written {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} or ISO-8601. */
    public Duration duration(Setting s) {
        try {
            return parseDuration(string(s));
        } catch (IllegalArgumentException e) {
            throw invalid(s, "must be a duration such as 30s, 10m, 2h or 7d");
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} or ISO-8601; IllegalArgumentException else. */
    public static Duration parseDuration(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + value, e);
        }
    }

    /** True when the hub keeps its state in Redis rather than in SQLite. */
    /**
     * Where people open the hub, ending in {@code /}: {@code public-url} if set, else {@code http://<bind>:<port>/}
     * (loopback for a wildcard bind).
     *
     * @param port the port actually bound (the configured one may be 0)
     */
    public String publicUrl(int port) {
        String url = string(Setting.PUBLIC_URL);
        if (url.isEmpty()) {
            String bind = string(Setting.BIND);
            String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw invalid(Setting.PUBLIC_URL, "must be a URL such as https://ops.example.com/hub");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(
                    Setting.PUBLIC_URL,
                    "must be an http(s) URL with a host and no query, e.g. https://ops.example.com/hub");
        }
        return url.endsWith("/") ? url : url + "/";
    }

    /** The path part of {@link #publicUrl}, ending in {@code /}: the dashboard cookie's path. */
    public String publicPath() {
        String url = string(Setting.PUBLIC_URL);
        if (url.isEmpty()) {
            return "/";
        }
        String path = java.net.URI.create(publicUrl(0)).getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    public boolean usesRedis() {
        return !string(Setting.REDIS_URL).isEmpty();
    }

    /**
     * The deadline of every request's Redis calls together ({@code redis-request-budget}, by default twice
     * {@code redis-timeout}); zero without Redis, whose store has no network calls to bound.
     */
    public Duration redisRequestBudget() {
        if (!usesRedis()) {
            return Duration.ZERO;
        }
        Duration budget = duration(Setting.REDIS_REQUEST_BUDGET);
        return budget.isZero() ? duration(Setting.REDIS_TIMEOUT).multipliedBy(2) : budget;
    }

    /** The certificates of a {@code rediss://} connection; checked when the configuration loads. */
    public RedisTls redisTls() {
        try {
            RedisTls tls =
                    new RedisTls(path(Setting.REDIS_TLS_CA), path(Setting.REDIS_TLS_CERT), path(Setting.REDIS_TLS_KEY));
            tls.requireTlsUrl(string(Setting.REDIS_URL));
            return tls;
        } catch (HubException.InvalidRequest e) {
            throw new InvalidSetting(e.getMessage() + " See " + Setting.REDIS_URL.env() + ", "
                    + Setting.REDIS_TLS_CA.env() + ", " + Setting.REDIS_TLS_CERT.env() + " and "
                    + Setting.REDIS_TLS_KEY.env() + ".");
        }
    }

    private Path path(Setting s) {
        String v = string(s);
        return v.isBlank() ? null : Path.of(v);
    }

    public Path dataDir() {
        return Path.of(string(Setting.DATA_DIR));
    }

    /** The configuration for logs: every value, secrets masked. */
    public Map<String, String> masked() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : Setting.ALL) {
            String v = values.get(s.key());
            out.put(s.key(), s.secret() && !v.isEmpty() ? "********" : v);
        }
        return out;
    }

    @Override
    public String toString() {
        return "HubConfig" + masked();
    }

    public InvalidSetting invalid(Setting s, String why) {
        return new InvalidSetting("Setting " + s.key() + " (" + s.env() + ") " + why + "; got '" + string(s) + "'.");
    }
}
