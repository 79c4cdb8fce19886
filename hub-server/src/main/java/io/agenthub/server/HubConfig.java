package io.agenthub.server;

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
        int port = integer(Setting.PORT);
        if (port < 0 || port > 65535) {
            throw invalid(Setting.PORT, "must be between 0 and 65535");
        }
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
        for (Setting s : Setting.ALL) {
            if (s.defaultValue().matches("\\d+(ms|s|m|h|d)")) {
                if (duration(s).isZero()) {
                    throw invalid(s, "must be positive");
                }
            } else if (s.defaultValue().matches("\\d+") && s != Setting.PORT && integer(s) < 1) {
                throw invalid(s, "must be at least 1");
            }
        }
        if (duration(Setting.LEASE_DEFAULT_TTL).compareTo(duration(Setting.LEASE_MAX_TTL)) > 0) {
            throw invalid(Setting.LEASE_DEFAULT_TTL, "must not exceed " + Setting.LEASE_MAX_TTL.key());
        }
        if (duration(Setting.OFFLINE_AFTER)
                        .compareTo(duration(Setting.HEARTBEAT_INTERVAL).multipliedBy(integer(Setting.MISSED_BEATS)))
                < 0) {
            throw invalid(Setting.OFFLINE_AFTER, "must be at least heartbeat-interval x missed-beats");
        }
        LifecycleSettings.from(this);
    }

    public String string(Setting s) {
        return values.get(s.key());
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
        String v = string(s).strip().toLowerCase(Locale.ROOT);
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
            throw invalid(s, "must be a duration such as 30s, 10m, 2h or 7d");
        }
    }

    /** True when the hub keeps its state in Redis rather than in SQLite. */
    public boolean usesRedis() {
        return !string(Setting.REDIS_URL).isEmpty();
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

    InvalidSetting invalid(Setting s, String why) {
        return new InvalidSetting("Setting " + s.key() + " (" + s.env() + ") " + why + "; got '" + string(s) + "'.");
    }
}
