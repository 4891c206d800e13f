package dev.tollgate.operator.local;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;

/**
 * Finds the line of a field in a YAML document by its path. Jackson's own location for a
 * mapping error can lie past the field (records buffer their properties), so walk to it.
 */
final class YamlLocator {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlLocator() {
    }

    /** 1-based line of the last element of {@code path} that exists in {@code yaml}; 1 if none does. */
    static int lineOf(String yaml, List<JsonMappingException.Reference> path) {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            p.nextToken();
            int line = 1;
            for (JsonMappingException.Reference ref : path) {
                if (!step(p, ref)) {
                    break;
                }
                line = p.currentTokenLocation().getLineNr();
            }
            return line;
        } catch (IOException e) {
            return 1;
        }
    }

    /** Moves {@code p} onto the value (for a field: onto its name) that {@code ref} names. */
    private static boolean step(JsonParser p, JsonMappingException.Reference ref) throws IOException {
        if (p.currentToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
        }
        if (ref.getFieldName() != null && p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (ref.getFieldName().equals(p.currentName())) {
                    return true;
                }
                p.nextToken();
                p.skipChildren();
            }
        } else if (ref.getFieldName() == null && ref.getIndex() >= 0 && p.currentToken() == JsonToken.START_ARRAY) {
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null; i++) {
                if (i == ref.getIndex()) {
                    return true;
                }
                p.skipChildren();
            }
        }
        return false;
    }
}
