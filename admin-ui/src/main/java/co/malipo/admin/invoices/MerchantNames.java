package co.malipo.admin.invoices;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Merchant ids and names for the filter form's merchant list. */
@ApplicationScoped
public class MerchantNames {

    /** One merchant in the list. */
    public record Entry(String id, String name) {
    }

    /** Largest number of merchants the list offers. */
    static final int LIMIT = 500;

    private final Db db;

    public MerchantNames(Db db) {
        this.db = db;
    }

    /** Lists merchants by name. NOTE: beyond {@link #LIMIT} merchants the list is cut; the merchant filter still accepts any id in the URL. */
    public List<Entry> list() {
        return db.list("SELECT id, name FROM merchants ORDER BY name, id LIMIT ?",
                row -> new Entry(row.getString("id"), row.getString("name")), LIMIT);
    }
}
