package co.malipo.core.daraja;

/** What an {@code stkpushquery} call came to. */
public sealed interface QueryReply {

    /** Daraja returned a result code for the push. */
    record Result(StkResult result, String body) implements QueryReply {
    }

    /** Daraja says "The transaction is being processed": the customer has not answered yet. */
    record Processing(String body) implements QueryReply {
    }

    /** The query failed or its answer could not be read; the push's state is unchanged. */
    record Failed(String reason, Integer httpStatus, String body) implements QueryReply {
    }
}
