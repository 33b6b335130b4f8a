package co.malipo.admin.invoices;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import co.malipo.admin.web.Formats;

/**
 * Writes invoice rows as CSV (RFC 4180 quoting by Jackson's CSV module). A text cell that starts
 * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading
 * apostrophe, so a spreadsheet shows it as text instead of running it as a formula.
 */
final class InvoiceCsv implements AutoCloseable {

    static final List<String> HEADER = List.of("invoice_id", "created_at_eat", "finished_at_eat", "merchant_id",
            "merchant_name", "environment", "channel", "state", "outcome_unknown", "phone", "api_ref", "amount",
            "value", "charges", "net_amount", "mpesa_reference", "failed_code", "failed_reason");

    private static final CsvMapper MAPPER = new CsvMapper();

    private final SequenceWriter writer;

    InvoiceCsv(OutputStream output) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        HEADER.forEach(schema::addColumn);
        this.writer = MAPPER.writer(schema.build()).writeValues(output);
    }

    void write(InvoiceSearch.Row row) throws IOException {
        List<String> cells = new ArrayList<>(HEADER.size());
        cells.add(row.id());
        cells.add(Formats.eat(row.createdAt()));
        cells.add(Formats.eat(row.finishedAt()));
        cells.add(text(row.merchantId()));
        cells.add(text(row.merchantName()));
        cells.add(row.environment());
        cells.add(row.channel());
        cells.add(row.state());
        cells.add(Boolean.toString(row.outcomeUnknown()));
        cells.add(text(row.phone()));
        cells.add(text(row.apiRef()));
        cells.add(row.amount().toPlainString());
        cells.add(row.value().toPlainString());
        cells.add(row.charges().toPlainString());
        cells.add(row.netAmount().toPlainString());
        cells.add(text(row.mpesaReference()));
        cells.add(text(row.failedCode()));
        cells.add(text(row.failedReason()));
        writer.write(cells);
    }

    /** Neutralises a cell that a spreadsheet would read as a formula. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + value;
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
