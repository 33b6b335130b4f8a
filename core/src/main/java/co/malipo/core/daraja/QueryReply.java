package co.malipo.core.daraja;

/** Outcome of an {@code stkpushquery} call. */
public sealed interface QueryReply {

    /** Daraja returned a result code for the push. */
    record Result(StkResult result, String body) implements QueryReply {
    }

    /** Daraja returned "The transaction is being processed" because the customer has not responded yet. */
    record Processing(String body) implements QueryReply {
    }

    /** The query failed or its reply could not be read, so the push's state is unchanged. */
    record Failed(String reason, Integer httpStatus, String body) implements QueryReply {
    }
}
