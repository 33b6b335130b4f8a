package co.malipo.api;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;

/** Creates a fresh merchant per test class, so tests never share invoices, wallets or keys. */
@ApplicationScoped
public class TestMerchants {

    private final MerchantService merchants;

    public TestMerchants(MerchantService merchants) {
        this.merchants = merchants;
    }

    public NewMerchant create(String name) {
        return merchants.createMerchant(name, "default");
    }
}
