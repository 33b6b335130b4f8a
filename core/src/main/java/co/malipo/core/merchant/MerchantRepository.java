package co.malipo.core.merchant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;

/** Merchants, their key hashes and their wallets. */
@ApplicationScoped
public class MerchantRepository {

    private final Db db;

    public MerchantRepository(Db db) {
        this.db = db;
    }

    /** Inserts a merchant unless one with this id exists; returns whether it was inserted. */
    public boolean insertMerchant(String merchantId, String name, String darajaAccount) {
        return db.update("INSERT INTO merchants (id, name, daraja_account) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                merchantId, name, darajaAccount) == 1;
    }

    /** Stores a key by its hash; storing the same key twice changes nothing. */
    public void insertKey(String merchantId, String key, Environment environment, ApiKey.Kind kind) {
        db.update("INSERT INTO api_keys (key_hash, merchant_id, environment, kind, key_prefix) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (key_hash) DO NOTHING",
                ApiKeys.hash(key), merchantId, environment, kind, ApiKeys.displayPrefix(key));
    }

    /** Creates the primary settlement wallet of a merchant and environment unless it exists. */
    public void ensureSettlementWallet(String merchantId, Environment environment) {
        db.update("INSERT INTO wallets (id, merchant_id, environment, wallet_type, label) VALUES (?, ?, ?, 'SETTLEMENT', ?)"
                + " ON CONFLICT (merchant_id, environment, currency) WHERE wallet_type = 'SETTLEMENT' DO NOTHING",
                Ids.walletId(), merchantId, environment, "Settlement " + environment.keySegment());
    }

    /** Creates a further working wallet and returns it. */
    public Wallet insertWorkingWallet(String merchantId, Environment environment, String label) {
        String id = Ids.walletId();
        db.update("INSERT INTO wallets (id, merchant_id, environment, wallet_type, label) VALUES (?, ?, ?, 'WORKING', ?)",
                id, merchantId, environment, label);
        return new Wallet(id, merchantId, environment, "KES", "WORKING", label);
    }

    public Optional<ApiKey> findKeyByHash(String keyHash) {
        return db.one("SELECT merchant_id, environment, kind, revoked_at FROM api_keys WHERE key_hash = ?",
                row -> new ApiKey(row.getString("merchant_id"), Environment.valueOf(row.getString("environment")),
                        ApiKey.Kind.valueOf(row.getString("kind")), row.getTimestamp("revoked_at") != null),
                keyHash);
    }

    public Optional<Wallet> findSettlementWallet(String merchantId, Environment environment) {
        return db.one("SELECT * FROM wallets WHERE merchant_id = ? AND environment = ? AND currency = 'KES'"
                + " AND wallet_type = 'SETTLEMENT'", MerchantRepository::wallet, merchantId, environment);
    }

    public Optional<Wallet> findWallet(String merchantId, Environment environment, String walletId) {
        return db.one("SELECT * FROM wallets WHERE id = ? AND merchant_id = ? AND environment = ?",
                MerchantRepository::wallet, walletId, merchantId, environment);
    }

    public List<Wallet> listWallets(String merchantId) {
        return db.list("SELECT * FROM wallets WHERE merchant_id = ? ORDER BY created_at, id",
                MerchantRepository::wallet, merchantId);
    }

    public Optional<String> findDarajaAccount(String merchantId) {
        return db.one("SELECT daraja_account FROM merchants WHERE id = ?", row -> row.getString(1), merchantId);
    }

    private static Wallet wallet(ResultSet row) throws SQLException {
        return new Wallet(row.getString("id"), row.getString("merchant_id"),
                Environment.valueOf(row.getString("environment")), row.getString("currency"),
                row.getString("wallet_type"), row.getString("label"));
    }
}
