package dev.tollgate.sidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Budget periods on UTC calendar boundaries. */
public enum BudgetPeriod {
    DAILY, WEEKLY, MONTHLY, TOTAL;

    /** Start of the period that contains {@code now}; {@link Instant#EPOCH} for TOTAL. */
    public Instant startOf(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
            case TOTAL -> LocalDate.EPOCH;
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Start of the period after the one that contains {@code now}; null for TOTAL, which never ends. */
    public Instant nextStart(Instant now) {
        LocalDate start = LocalDate.ofInstant(startOf(now), ZoneOffset.UTC);
        LocalDate next = switch (this) {
            case DAILY -> start.plusDays(1);
            case WEEKLY -> start.plusWeeks(1);
            case MONTHLY -> start.plusMonths(1);
            case TOTAL -> null;
        };
        return next == null ? null : next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BudgetPeriod of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not one of daily, weekly, monthly, total");
        }
    }
}
