package co.malipo.core.invoice;

import java.util.Optional;

/** Fee payer: {@code BUSINESS-PAYS} takes the fee from the net amount, {@code CUSTOMER-PAYS} adds it to the prompt. */
public enum Tariff {
    BUSINESS_PAYS("BUSINESS-PAYS"),
    CUSTOMER_PAYS("CUSTOMER-PAYS");

    private final String wireName;

    Tariff(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Tariff> fromWire(String text) {
        for (Tariff tariff : values()) {
            if (tariff.wireName.equals(text)) {
                return Optional.of(tariff);
            }
        }
        return Optional.empty();
    }
}
