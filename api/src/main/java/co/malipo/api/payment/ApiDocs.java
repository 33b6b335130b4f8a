package co.malipo.api.payment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Request shapes for the OpenAPI document only. The resources read bodies themselves, so that
 * every field error is reported at once, but merchants still see the fields here.
 */
final class ApiDocs {

    private ApiDocs() {
    }

    @Schema(name = "StkPushRequest", description = "An M-Pesa STK push. Unknown fields are ignored.")
    record StkPushRequest(
            @Schema(required = true, description = "Kenyan mobile number, e.g. 0712345678 or 254712345678",
                    examples = "0712345678") String phone_number,
            @Schema(required = true, description = "KES as a decimal string or number, at most 2 decimal places;"
                    + " rounded up to the whole shilling", examples = "100") String amount,
            @Schema(description = "Your reference, at most 140 characters; defaults to MPesa Express",
                    examples = "ORDER-1001") String api_ref,
            @Schema(description = "One of your KES wallets; defaults to the settlement wallet") String wallet_id,
            @Schema(description = "Who pays the fee", enumeration = {"BUSINESS-PAYS", "CUSTOMER-PAYS"})
            String mobile_tarrif) {
    }

    @Schema(name = "StatusRequest", description = "A status query for one invoice.")
    record StatusRequest(
            @Schema(required = true, description = "The invoice_id the push returned", examples = "GQ7KZ2XPNM")
            String invoice_id,
            @Schema(description = "Your public key, when no secret key is sent") String public_key) {
    }
}
