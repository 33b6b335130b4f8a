package co.malipo.core.invoice;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/** One invoice row. {@code amount} is the rounded amount requested; {@code value} what the customer is asked for. */
public record Invoice(
        String id,
        UUID sessionId,
        String merchantId,
        Environment environment,
        String walletId,
        String customerId,
        Channel channel,
        InvoiceState state,
        boolean outcomeUnknown,
        String phone,
        String apiRef,
        String currency,
        BigDecimal amount,
        BigDecimal value,
        BigDecimal charges,
        BigDecimal netAmount,
        String mobileTarrif,
        String accountReference,
        String transactionDesc,
        String darajaAccount,
        String callbackToken,
        String merchantRequestId,
        String checkoutRequestId,
        String mpesaReference,
        BigDecimal paidAmount,
        String failedCode,
        String failedReason,
        String failureClass,
        boolean lateSuccess,
        int eventSequence,
        String host,
        Instant createdAt,
        Instant updatedAt,
        Instant acceptedAt,
        int queryAttempts,
        Instant nextQueryAt,
        Instant lastEvidenceAt) {

    static Invoice from(ResultSet row) throws SQLException {
        return new Invoice(
                row.getString("id"),
                row.getObject("session_id", UUID.class),
                row.getString("merchant_id"),
                Environment.valueOf(row.getString("environment")),
                row.getString("wallet_id"),
                row.getString("customer_id"),
                Channel.valueOf(row.getString("channel")),
                InvoiceState.valueOf(row.getString("state")),
                row.getBoolean("outcome_unknown"),
                row.getString("phone"),
                row.getString("api_ref"),
                row.getString("currency"),
                row.getBigDecimal("amount"),
                row.getBigDecimal("value"),
                row.getBigDecimal("charges"),
                row.getBigDecimal("net_amount"),
                row.getString("mobile_tarrif"),
                row.getString("account_reference"),
                row.getString("transaction_desc"),
                row.getString("daraja_account"),
                row.getString("callback_token"),
                row.getString("merchant_request_id"),
                row.getString("checkout_request_id"),
                row.getString("mpesa_reference"),
                row.getBigDecimal("paid_amount"),
                row.getString("failed_code"),
                row.getString("failed_reason"),
                row.getString("failure_class"),
                row.getBoolean("late_success"),
                row.getInt("event_sequence"),
                row.getString("host"),
                Db.instant(row, "created_at"),
                Db.instant(row, "updated_at"),
                Db.instant(row, "accepted_at"),
                row.getInt("query_attempts"),
                Db.instant(row, "next_query_at"),
                Db.instant(row, "last_evidence_at"));
    }
}
