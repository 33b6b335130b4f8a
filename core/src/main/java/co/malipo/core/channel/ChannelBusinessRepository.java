package co.malipo.core.channel;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/** Business numbers of the USSD and SMS channels ({@code channel_businesses}). */
@ApplicationScoped
public class ChannelBusinessRepository {

    /** Three to seven digits, as the table's check constraint requires. */
    public static final Pattern BUSINESS_NUMBER = Pattern.compile("[0-9]{3,7}");

    private final Db db;

    public ChannelBusinessRepository(Db db) {
        this.db = db;
    }

    /**
     * Inserts a business number for a merchant and environment. Throws
     * {@link Db.DataAccessException} when the number is taken or invalid.
     */
    public void insert(String businessNumber, String merchantId, Environment environment, String displayName,
            boolean needsReference, String referenceLabel, String defaultLanguage) {
        db.update("""
                INSERT INTO channel_businesses (business_number, merchant_id, environment, display_name,
                    needs_reference, reference_label, default_language)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, businessNumber, merchantId, environment, displayName, needsReference, referenceLabel,
                defaultLanguage);
    }

    /** Finds a business by its number. Returns empty for numbers that are not three to seven digits. */
    public Optional<ChannelBusiness> find(String businessNumber) {
        if (businessNumber == null || !BUSINESS_NUMBER.matcher(businessNumber).matches()) {
            return Optional.empty();
        }
        return db.one("SELECT * FROM channel_businesses WHERE business_number = ?",
                ChannelBusinessRepository::business, businessNumber);
    }

    private static ChannelBusiness business(ResultSet row) throws SQLException {
        return new ChannelBusiness(row.getString("business_number"), row.getString("merchant_id"),
                Environment.valueOf(row.getString("environment")), row.getString("display_name"),
                row.getBoolean("needs_reference"), Optional.ofNullable(row.getString("reference_label")),
                row.getString("default_language"), Db.instant(row, "created_at"));
    }
}
