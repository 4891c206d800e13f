package dev.tollgate.sidecar.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON form of a {@link GatewayConfig}: the wire contract between operator and sidecar. */
public final class ConfigJson {
    /**
     * Unknown fields are ignored so an older sidecar accepts a newer operator's snapshot. Map entries are written
     * in key order (sets are kept sorted by the model), so equal configurations serialise to equal bytes in every
     * JVM: the operator's snapshot version is a digest of these bytes.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ConfigJson() {
    }

    public static GatewayConfig read(byte[] json) {
        try {
            return MAPPER.readValue(json, GatewayConfig.class).validate();
        } catch (InvalidFormatException e) {
            throw new ConfigException(path(e) + ": '" + e.getValue() + "' is not a valid " + e.getTargetType().getSimpleName(), e);
        } catch (ValueInstantiationException e) {
            throw new ConfigException(path(e) + ": " + e.getCause().getMessage(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(path(e) + ": wrong type", e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration: " + e.getMessage(), e);
        }
    }

    public static GatewayConfig read(Path file) {
        try {
            return read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static byte[] write(GatewayConfig config) {
        try {
            return MAPPER.writeValueAsBytes(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "configuration" : sb.toString();
    }
}
