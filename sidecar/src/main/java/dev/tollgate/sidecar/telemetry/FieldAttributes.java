package dev.tollgate.sidecar.telemetry;

import dev.tollgate.sidecar.metering.UsageFields;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A usage line's fields as OpenTelemetry attributes, in the line's order: each field under its name, a
 * group's as {@code group.name}. Kept as two arrays the exporter walks: the SDK's own attributes hash
 * each one in and sort a copy for export, which was the usage event's largest cost on the request's
 * thread. The line's names are unique, so nothing needs deduplicating. Filled once, then only read.
 */
final class FieldAttributes implements Attributes, UsageFields {
    // The line's field names are a fixed set: each key is made once.
    private static final Map<String, AttributeKey<String>> TEXT_KEYS = new ConcurrentHashMap<>();
    private static final Map<String, AttributeKey<Long>> NUMBER_KEYS = new ConcurrentHashMap<>();
    private static final Map<String, AttributeKey<Boolean>> FLAG_KEYS = new ConcurrentHashMap<>();

    private AttributeKey<?>[] keys = new AttributeKey<?>[40];
    private Object[] values = new Object[40];
    private int size;
    private String prefix = "";

    <T> void put(AttributeKey<T> key, T value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
    }

    @Override
    public void text(String name, String value) {
        put(TEXT_KEYS.computeIfAbsent(named(name), AttributeKey::stringKey), value);
    }

    @Override
    public void number(String name, long value) {
        put(NUMBER_KEYS.computeIfAbsent(named(name), AttributeKey::longKey), value);
    }

    @Override
    public void flag(String name, boolean value) {
        put(FLAG_KEYS.computeIfAbsent(named(name), AttributeKey::booleanKey), value);
    }

    private String named(String name) {
        return prefix.isEmpty() ? name : prefix + name;
    }

    @Override
    public void startGroup(String name) {
        prefix = name + ".";
    }

    @Override
    public void endGroup() {
        prefix = "";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(AttributeKey<T> key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return (T) values[i];
            }
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
        for (int i = 0; i < size; i++) {
            consumer.accept(keys[i], values[i]);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
        Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
        forEach(map::put);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public AttributesBuilder toBuilder() {
        return Attributes.builder().putAll(this);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
