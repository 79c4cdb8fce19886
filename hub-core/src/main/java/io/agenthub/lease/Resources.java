package io.agenthub.lease;

import java.util.ArrayList;
import java.util.List;

/** Naming rules for leased resources and the zone overlap relation. */
public final class Resources {
    /** Longest accepted resource name. */
    public static final int MAX_LENGTH = 512;

    private Resources() {}

    /** A zone is a resource name ending in {@code /}; it covers every name that starts with it. */
    public static boolean isZone(String resource) {
        return resource.endsWith("/");
    }

    /** The zones that would cover {@code resource}: every proper prefix ending in {@code /}, shortest first. */
    public static List<String> enclosingZones(String resource) {
        List<String> zones = new ArrayList<>();
        for (int i = resource.indexOf('/'); i >= 0 && i < resource.length() - 1; i = resource.indexOf('/', i + 1)) {
            zones.add(resource.substring(0, i + 1));
        }
        return zones;
    }

    /** True when a lease on {@code a} and a lease on {@code b} cannot be held by different agents at once. */
    public static boolean overlap(String a, String b) {
        return a.equals(b) || (isZone(a) && b.startsWith(a)) || (isZone(b) && a.startsWith(b));
    }
}
