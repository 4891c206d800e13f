package dev.tollgate.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Jackson's YAML errors in the words of the file's author: the field's path and what is wrong, no Java class names. */
public final class YamlErrors {
    private YamlErrors() {
    }

    /** {@code pricing[1]: unknown field 'ouput'}, or the parser's explanation for a syntax error. */
    public static String describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            what = "'" + f.getValue() + "' is not a valid " + f.getTargetType().getSimpleName();
        } else {
            // YAML parser messages interleave explanations with indented source excerpts and
            // document-relative positions; keep the explanations.
            what = String.join(": ", e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).toList());
        }
        return field.isEmpty() ? what : field + ": " + what;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
