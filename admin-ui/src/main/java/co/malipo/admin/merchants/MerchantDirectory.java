package co.malipo.admin.merchants;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * Reads and changes merchants, their wallets, API keys and business numbers for the dashboard.
 * Inserting keys and business numbers goes through core's repositories, and this class contains the
 * queries that only the dashboard needs.
 */
@ApplicationScoped
public class MerchantDirectory {

    /** A merchant as the dashboard shows it. */
    public record Merchant(String id, String name, String darajaAccount, boolean smsReceiptsForApi,
            Instant createdAt) {
    }

    /** A wallet with its stored balance and the sum of its ledger entries, which should be equal. */
    public record WalletBalance(String id, Environment environment, String walletType, String label, String currency,
            BigDecimal balance, BigDecimal ledgerTotal, long entries) {

        public boolean matchesLedger() {
            return balance.compareTo(ledgerTotal) == 0;
        }
    }

    /** A stored API key: only its SHA-256 and its display prefix are known. */
    public record Key(String keyHash, Environment environment, String kind, String prefix, Instant createdAt,
            Instant revokedAt) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** The position after the last merchant of a page. */
    public record Cursor(String name, String id) {
    }

    /** One page of merchants and the cursor of the next page, null on the last page. */
    public record Page(List<Merchant> rows, Cursor next) {
    }

    private final Db db;

    public MerchantDirectory(Db db) {
        this.db = db;
    }

    /**
     * Returns merchants by name in keyset pages. {@code search} matches a part of the name
     * (case-insensitive) or the whole merchant id. Null or blank means every merchant.
     */
    public Page page(String search, Cursor after, int size) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM merchants WHERE true");
        if (search != null && !search.isBlank()) {
            sql.append(" AND (name ILIKE ? ESCAPE '\\' OR id = ?)");
            parameters.add("%" + escapeLike(search.trim()) + "%");
            parameters.add(search.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (after != null) {
            sql.append(" AND (name, id) > (?, ?)");
            parameters.add(after.name());
            parameters.add(after.id());
        }
        sql.append(" ORDER BY name, id LIMIT ?");
        parameters.add(size + 1);
        List<Merchant> rows = db.list(sql.toString(), MerchantDirectory::merchant, parameters.toArray());
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        Merchant last = rows.get(size - 1);
        return new Page(List.copyOf(rows.subList(0, size)), new Cursor(last.name(), last.id()));
    }

    public Optional<Merchant> find(String id) {
        return db.one("SELECT * FROM merchants WHERE id = ?", MerchantDirectory::merchant, id);
    }

    /** Reads and locks a merchant, so two edits apply one after the other and each audit entry records the true previous state. */
    public Optional<Merchant> lock(String id) {
        return db.one("SELECT * FROM merchants WHERE id = ? FOR UPDATE", MerchantDirectory::merchant, id);
    }

    public void update(String id, String name, boolean smsReceiptsForApi) {
        db.update("UPDATE merchants SET name = ?, sms_receipts_for_api = ? WHERE id = ?", name, smsReceiptsForApi,
                id);
    }

    /** Lists the merchant's wallets with the sum and count of their ledger entries. */
    public List<WalletBalance> wallets(String merchantId) {
        return db.list("""
                SELECT w.id, w.environment, w.wallet_type, w.label, w.currency, w.balance,
                    COALESCE(sum(l.amount), 0) AS ledger_total, count(l.id) AS entries
                FROM wallets w LEFT JOIN ledger_entries l ON l.wallet_id = w.id
                WHERE w.merchant_id = ?
                GROUP BY w.id
                ORDER BY w.environment DESC, w.wallet_type DESC, w.created_at, w.id
                """, row -> new WalletBalance(row.getString("id"), Environment.valueOf(row.getString("environment")),
                row.getString("wallet_type"), row.getString("label"), row.getString("currency"),
                row.getBigDecimal("balance"), row.getBigDecimal("ledger_total"), row.getLong("entries")), merchantId);
    }

    /** Lists the merchant's keys, live ones first, newest first within each group. */
    public List<Key> keys(String merchantId) {
        return db.list("SELECT * FROM api_keys WHERE merchant_id = ?"
                + " ORDER BY revoked_at IS NOT NULL, environment DESC, kind DESC, created_at DESC, key_hash",
                MerchantDirectory::key, merchantId);
    }

    /** Reads and locks one of the merchant's keys. */
    public Optional<Key> lockKey(String merchantId, String keyHash) {
        return db.one("SELECT * FROM api_keys WHERE merchant_id = ? AND key_hash = ? FOR UPDATE",
                MerchantDirectory::key, merchantId, keyHash);
    }

    /** Revokes a key unless it already is revoked, and returns whether this call revoked it. */
    public boolean revokeKey(String keyHash, Instant now) {
        return db.update("UPDATE api_keys SET revoked_at = ? WHERE key_hash = ? AND revoked_at IS NULL", now,
                keyHash) == 1;
    }

    public List<ChannelBusiness> businesses(String merchantId) {
        return db.list("SELECT * FROM channel_businesses WHERE merchant_id = ? ORDER BY business_number",
                MerchantDirectory::business, merchantId);
    }

    public Optional<ChannelBusiness> lockBusiness(String merchantId, String businessNumber) {
        return db.one("SELECT * FROM channel_businesses WHERE merchant_id = ? AND business_number = ? FOR UPDATE",
                MerchantDirectory::business, merchantId, businessNumber);
    }

    /** Returns the merchant that owns a business number, if the number is taken. */
    public Optional<String> businessOwner(String businessNumber) {
        return db.one("SELECT merchant_id FROM channel_businesses WHERE business_number = ?", row -> row.getString(1),
                businessNumber);
    }

    public void updateBusiness(String businessNumber, String displayName, boolean needsReference,
            String referenceLabel, String defaultLanguage) {
        db.update("UPDATE channel_businesses SET display_name = ?, needs_reference = ?, reference_label = ?,"
                + " default_language = ? WHERE business_number = ?", displayName, needsReference, referenceLabel,
                defaultLanguage, businessNumber);
    }

    public void deleteBusiness(String businessNumber) {
        db.update("DELETE FROM channel_businesses WHERE business_number = ?", businessNumber);
    }

    /**
     * Returns whether the merchant has any USSD or SMS invoice in the environment. Invoices do not
     * store the business number they came through, so this is the only test of whether a number
     * was used, and it counts every number of that merchant and environment as used.
     */
    public boolean hasChannelInvoices(String merchantId, Environment environment) {
        return db.one("SELECT EXISTS (SELECT 1 FROM invoices WHERE merchant_id = ? AND environment = ?"
                + " AND channel IN ('USSD', 'SMS'))", row -> row.getBoolean(1), merchantId, environment)
                .orElse(false);
    }

    /** Escapes LIKE's wildcards and the backslash escape character. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Merchant merchant(ResultSet row) throws SQLException {
        return new Merchant(row.getString("id"), row.getString("name"), row.getString("daraja_account"),
                row.getBoolean("sms_receipts_for_api"), Db.instant(row, "created_at"));
    }

    private static Key key(ResultSet row) throws SQLException {
        return new Key(row.getString("key_hash"), Environment.valueOf(row.getString("environment")),
                row.getString("kind"), row.getString("key_prefix"), Db.instant(row, "created_at"),
                Db.instant(row, "revoked_at"));
    }

    private static ChannelBusiness business(ResultSet row) throws SQLException {
        return new ChannelBusiness(row.getString("business_number"), row.getString("merchant_id"),
                Environment.valueOf(row.getString("environment")), row.getString("display_name"),
                row.getBoolean("needs_reference"), Optional.ofNullable(row.getString("reference_label")),
                row.getString("default_language"), Db.instant(row, "created_at"));
    }
}
