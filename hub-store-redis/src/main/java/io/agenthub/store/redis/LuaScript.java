package io.agenthub.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script from this package's resources, with its SHA-1 digest computed here, so that it is run with
 * {@code EVALSHA} without loading it first ({@link RedisLink#eval} falls back to {@code EVAL} on {@code NOSCRIPT}).
 *
 * @param name the resource name without {@code .lua}, for errors and logs
 * @param source the library files (if any) followed by the script itself
 */
record LuaScript(String name, String source, String sha) {
    /** Loads {@code <name>.lua}, preceded by the given library files (shared local functions). */
    static LuaScript load(String name, String... libraries) {
        StringBuilder source = new StringBuilder();
        for (String library : libraries) {
            source.append(read(library)).append('\n');
        }
        source.append(read(name));
        String text = source.toString();
        return new LuaScript(name, text, sha1(text));
    }

    private static String read(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
