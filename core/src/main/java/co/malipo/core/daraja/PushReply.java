package co.malipo.core.daraja;

/** Outcome of a {@code processrequest} call, in the terms the push worker acts on. */
public sealed interface PushReply {

    /** HTTP 200 with {@code ResponseCode} "0": the prompt is on its way. */
    record Accepted(String merchantRequestId, String checkoutRequestId, String description, String body)
            implements PushReply {
    }

    /** A definite rejection: Daraja rejected the push and the customer was not prompted. */
    record Rejected(String errorCode, String errorMessage, int httpStatus, FailureClass failureClass, String body)
            implements PushReply {
    }

    /** The request never left: the connection was refused or could not be opened, or no token could be had. */
    record NotSent(String reason) implements PushReply {
    }

    /** The request may have reached Daraja but its fate is unknown: a timeout, a reset, a 5xx or an unreadable body. */
    record Unknown(String reason, Integer httpStatus, String body) implements PushReply {
    }
}
