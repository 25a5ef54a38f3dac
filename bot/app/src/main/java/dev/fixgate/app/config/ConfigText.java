package dev.fixgate.app.config;

import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reading configuration text and the typed values inside an already schema-checked document. */
final class ConfigText {

    /** Configuration files are small; anything larger is a mistake or an attack. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private ConfigText() {
    }

    /** Reads a UTF-8 file, refusing directories, oversized files and invalid encodings with a located problem. */
    static String read(Path file, String code) {
        SourceLocation where = SourceLocation.of(file.toString());
        try {
            if (Files.isDirectory(file)) {
                throw ConfigException.single(new ConfigProblem(code, where, "", "is a directory, not a file"));
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw ConfigException.single(new ConfigProblem("config.yaml-limit", where, "",
                        "file is " + size + " bytes; configuration files are limited to " + MAX_FILE_BYTES));
            }
            return decode(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw ConfigException.single(new ConfigProblem(code, where, "", "file not found"));
        } catch (IOException e) {
            throw ConfigException.single(new ConfigProblem(code, where, "", "cannot read: " + e.getMessage()));
        }
    }

    static String decode(String source, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ConfigException.single(new ConfigProblem("config.encoding", SourceLocation.of(source), "",
                    "not valid UTF-8 text"));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<String> strings(Map<String, Object> parent, String key) {
        return list(parent, key).stream().map(String::valueOf).toList();
    }

    static String string(Map<String, Object> parent, String key, String fallback) {
        Object value = parent.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    static long number(Map<String, Object> parent, String key, long fallback) {
        Object value = parent.get(key);
        return value instanceof Number n ? n.longValue() : fallback;
    }

    static boolean bool(Map<String, Object> parent, String key, boolean fallback) {
        Object value = parent.get(key);
        return value instanceof Boolean b ? b : fallback;
    }
}
