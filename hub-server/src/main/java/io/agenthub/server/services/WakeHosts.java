package io.agenthub.server.services;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosts the hub may POST wake-ups to (the {@code wake-allowed-hosts} setting): host names and IP addresses, and
 * {@code loopback} for any host that resolves only to loopback addresses. A host is checked when the wake-up is sent,
 * after resolving it: a name on the list passes as named by the admin; any other host passes only if every address it
 * resolves to is listed (or is loopback, with {@code loopback}). The JDK's HTTP client resolves the name again when it
 * connects, from the JVM's address cache (30 s by default), so an answer that changes within that moment is the
 * remaining gap; the list keeps the hub from being pointed at arbitrary internal services.
 */
final class WakeHosts {
    /** The resolver, replaceable in tests. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> names;
    private final boolean loopback;
    private final Resolver resolver;

    WakeHosts(Set<String> names, boolean loopback, Resolver resolver) {
        this.names = Set.copyOf(names);
        this.loopback = loopback;
        this.resolver = resolver;
    }

    /** Parses the comma-separated setting; empty allows nothing. */
    static WakeHosts parse(String setting) {
        List<String> entries = java.util.Arrays.stream(setting.split(","))
                .map(e -> e.strip().toLowerCase(Locale.ROOT))
                .filter(e -> !e.isEmpty())
                .toList();
        Set<String> names = entries.stream()
                .filter(e -> !e.equals("loopback"))
                .map(WakeHosts::bare)
                .collect(Collectors.toSet());
        return new WakeHosts(names, entries.contains("loopback"), InetAddress::getAllByName);
    }

    /** Why {@code url} may not be called, or null if it may. Resolves the host (blocking). */
    String refusal(URI url) {
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            return "the URL has no host";
        }
        host = bare(host.toLowerCase(Locale.ROOT));
        if (names.contains(host)) {
            return null;
        }
        if (names.isEmpty() && !loopback) {
            return "wake-allowed-hosts is empty, so no wake-ups are sent";
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return "host " + host + " does not resolve";
        }
        for (InetAddress a : addresses) {
            boolean listed = names.contains(bare(a.getHostAddress().toLowerCase(Locale.ROOT)));
            if (!listed && !(loopback && a.isLoopbackAddress())) {
                return "host " + host + " resolves to " + a.getHostAddress() + ", which is not in wake-allowed-hosts";
            }
        }
        return addresses.length == 0 ? "host " + host + " resolves to no address" : null;
    }

    /** An IPv6 literal without brackets and zone, so that [::1] and ::1 compare equal. */
    private static String bare(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int zone = h.indexOf('%');
        return zone >= 0 ? h.substring(0, zone) : h;
    }
}
