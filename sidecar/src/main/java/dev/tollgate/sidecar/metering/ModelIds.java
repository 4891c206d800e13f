package dev.tollgate.sidecar.metering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a requested model id names a known one. Ids compare case-insensitively; a known id also
 * names its dated and variant ids ("gpt-4o-mini" names "gpt-4o-mini-2024-07-18",
 * "claude-opus-4-1" names "claude-opus-4-1@20250805"), but never a longer name ("gpt-4o" does
 * not name "gpt-4o2" or "gpt-4.1").
 */
final class ModelIds {
    /** Bedrock-style region and vendor prefixes: "us.anthropic.", "anthropic.", "meta.". */
    private static final Pattern DOTTED_VENDOR = Pattern.compile("^(?:[a-z]+\\.)+");

    private ModelIds() {
    }

    static String normalize(String id) {
        return id.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The forms to look a requested id up by, most literal first: as asked, without a vendor path
     * ("openai/gpt-4o", "models/gemini-2.5-pro"), and without a dotted vendor prefix.
     */
    static List<String> forms(String model) {
        String id = normalize(model);
        List<String> forms = new ArrayList<>(3);
        forms.add(id);
        String afterPath = id.substring(id.lastIndexOf('/') + 1);
        addIfNew(forms, afterPath);
        addIfNew(forms, DOTTED_VENDOR.matcher(afterPath).replaceFirst(""));
        return forms;
    }

    /** The length of {@code known} when it names {@code form} (both normalized), else -1. */
    static int matchLength(String known, String form) {
        if (form.equals(known)) {
            return known.length();
        }
        if (form.length() > known.length() && form.startsWith(known) && isVariantSeparator(form.charAt(known.length()))) {
            return known.length();
        }
        return -1;
    }

    static boolean isVariantSeparator(char c) {
        return c == '-' || c == '@';
    }

    private static void addIfNew(List<String> forms, String form) {
        if (!form.isEmpty() && !forms.contains(form)) {
            forms.add(form);
        }
    }
}
