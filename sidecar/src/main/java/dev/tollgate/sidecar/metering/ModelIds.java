package dev.tollgate.sidecar.metering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a requested model id names a known one. Ids compare case-insensitively; a known id also
 * names its dated and variant ids ("gpt-4o-mini" names "gpt-4o-mini-2024-07-18",
 * "claude-opus-4-1" names Vertex's "claude-opus-4-1@20250805"), but never a longer name ("gpt-4o" does
 * not name "gpt-4o2" or "gpt-4.1").
 */
final class ModelIds {
    /** Bedrock-style region and vendor prefixes: "us.anthropic.", "global.anthropic.", "amazon.", "meta.". */
    private static final Pattern DOTTED_VENDOR = Pattern.compile("^(?:[a-z]+\\.)+");
    /** Bedrock's model revision after its version: the ":0" of "amazon.titan-embed-text-v2:0". */
    private static final Pattern BEDROCK_REVISION = Pattern.compile("(-v\\d+):\\d+$");

    private ModelIds() {
    }

    /** Lower case, and Vertex's "@date" as Anthropic's "-date": "claude-sonnet-4-5@20250929" is "claude-sonnet-4-5-20250929". */
    static String normalize(String id) {
        return id.trim().toLowerCase(Locale.ROOT).replace('@', '-');
    }

    /**
     * The forms to look a requested id up by, most literal first: as asked, without a vendor path
     * ("openai/gpt-4o", "models/gemini-2.5-pro"), without a dotted region and vendor prefix and
     * Bedrock's revision ("us.amazon.nova-pro-v1:0" → "nova-pro-v1"), so one catalog row prices a
     * model under every cloud's id for it.
     */
    static List<String> forms(String model) {
        String id = normalize(model);
        List<String> forms = new ArrayList<>(3);
        forms.add(id);
        String afterPath = id.substring(id.lastIndexOf('/') + 1);
        addIfNew(forms, afterPath);
        addIfNew(forms, BEDROCK_REVISION.matcher(DOTTED_VENDOR.matcher(afterPath).replaceFirst("")).replaceFirst("$1"));
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
        return c == '-';
    }

    private static void addIfNew(List<String> forms, String form) {
        if (!form.isEmpty() && !forms.contains(form)) {
            forms.add(form);
        }
    }
}
