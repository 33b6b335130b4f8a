package co.malipo.ussd;

/**
 * Every USSD screen and SMS reply in one language. {@link #ENGLISH} and {@link #KISWAHILI} contain the
 * strings, and each reply they build stays within 160 characters because names are cut by
 * {@link UssdText#shorten}. Amounts arrive already formatted.
 */
abstract class UssdTexts {

    static final UssdTexts ENGLISH = new English();
    static final UssdTexts KISWAHILI = new Kiswahili();

    /** Returns the texts for a {@code default_language} code: {@code sw} is Kiswahili, anything else English. */
    static UssdTexts of(String language) {
        return "sw".equals(language) ? KISWAHILI : ENGLISH;
    }

    /** The language code stored in {@code invoice_languages}. */
    abstract String code();

    /** The texts of the other language, which choice 3 of the main menu switches to. */
    abstract UssdTexts other();

    abstract String mainMenu();

    abstract String invalidChoice();

    abstract String businessPrompt();

    abstract String businessNotFound(String input);

    abstract String amountPrompt(String name, String min, String max);

    abstract String invalidAmount(String min, String max);

    abstract String invalidAmountEcho(String input, String min, String max);

    abstract String amountOutOfRange(String min, String max);

    abstract String referencePrompt(String name, String label);

    abstract String defaultReferenceLabel();

    abstract String invalidReference();

    abstract String confirmation(String amount, String name, String reference);

    abstract String cancelled();

    abstract String promptComing(String amount, String name);

    abstract String openPayment(String amount, String name);

    abstract String unavailable();

    /** Reply to a confirmation whose session id already paid for another phone or amount. */
    abstract String sessionUsed();

    abstract String noPayments();

    abstract String lastPayment(String amount, String name, String time, String state, String receipt);

    abstract String noReceipt();

    abstract String pending();

    abstract String paid();

    abstract String failed();

    abstract String smsHelp();

    abstract String smsNeedsReference(String name, String label, String businessNumber, String amount);

    abstract String smsInvalidRequest(String amount, String name);

    private static final class English extends UssdTexts {
        String code() { return "en"; }
        UssdTexts other() { return KISWAHILI; }
        String mainMenu() { return "Malipo\n1. Pay a business\n2. My last payment\n3. Kiswahili"; }
        String invalidChoice() { return "Invalid choice."; }
        String businessPrompt() { return "Enter business number:\n0 Back"; }
        String businessNotFound(String input) { return "Business number " + input + " not found."; }
        String amountPrompt(String name, String min, String max) {
            return "Pay " + name + "\nEnter amount (" + min + " to " + max + "):\n0 Back";
        }
        String invalidAmount(String min, String max) { return "Invalid amount. Enter " + min + " to " + max + "."; }
        String invalidAmountEcho(String input, String min, String max) {
            return "Invalid amount " + input + ". Enter " + min + " to " + max + ".";
        }
        String amountOutOfRange(String min, String max) {
            return "Amount out of range. Enter " + min + " to " + max + ".";
        }
        String referencePrompt(String name, String label) { return "Pay " + name + "\nEnter " + label + ":\n0 Back"; }
        String defaultReferenceLabel() { return "account number"; }
        String invalidReference() { return "Invalid reference. Use up to 20 letters or digits."; }
        String confirmation(String amount, String name, String reference) {
            String ref = reference == null ? "" : "\nRef: " + reference;
            return "Pay " + amount + " to " + name + ref + "\n1. Confirm\n2. Cancel\n0 Back";
        }
        String cancelled() { return "Payment cancelled. Nothing was charged."; }
        String promptComing(String amount, String name) {
            return "You will get an M-Pesa prompt to pay " + amount + " to " + name
                    + ". Enter your M-Pesa PIN to complete.";
        }
        String openPayment(String amount, String name) {
            return "You already have an open payment of " + amount + " to " + name
                    + ". Complete or cancel its M-Pesa prompt first.";
        }
        String unavailable() { return "Service temporarily unavailable. Please try again later."; }

        @Override
        String sessionUsed() { return "This session already made another payment. Please dial again."; }
        String noPayments() { return "You have no payments yet."; }
        String lastPayment(String amount, String name, String time, String state, String receipt) {
            return "Last payment: " + amount + " to " + name + "\nOn " + time + "\nState: " + state + "\nReceipt: "
                    + receipt;
        }
        String noReceipt() { return "none"; }
        String pending() { return "pending"; }
        String paid() { return "paid"; }
        String failed() { return "failed"; }
        String smsHelp() {
            return "To pay send: PAY <business number> <amount> [reference], e.g. PAY 5001 500."
                    + " For your last payment send: STATUS";
        }
        String smsNeedsReference(String name, String label, String businessNumber, String amount) {
            return name + " needs a " + label + ". Send: PAY " + businessNumber + " " + amount + " <" + label + ">";
        }
        String smsInvalidRequest(String amount, String name) {
            return "Payment of " + amount + " to " + name + " was not started: invalid request.";
        }
    }

    private static final class Kiswahili extends UssdTexts {
        String code() { return "sw"; }
        UssdTexts other() { return ENGLISH; }
        String mainMenu() { return "Malipo\n1. Lipa biashara\n2. Malipo yangu ya mwisho\n3. English"; }
        String invalidChoice() { return "Chaguo si sahihi."; }
        String businessPrompt() { return "Weka nambari ya biashara:\n0 Rudi"; }
        String businessNotFound(String input) { return "Nambari ya biashara " + input + " haipatikani."; }
        String amountPrompt(String name, String min, String max) {
            return "Lipa " + name + "\nWeka kiasi (" + min + " hadi " + max + "):\n0 Rudi";
        }
        String invalidAmount(String min, String max) { return "Kiasi si sahihi. Weka " + min + " hadi " + max + "."; }
        String invalidAmountEcho(String input, String min, String max) {
            return "Kiasi " + input + " si sahihi. Weka " + min + " hadi " + max + ".";
        }
        String amountOutOfRange(String min, String max) {
            return "Kiasi hakiruhusiwi. Weka " + min + " hadi " + max + ".";
        }
        String referencePrompt(String name, String label) { return "Lipa " + name + "\nWeka " + label + ":\n0 Rudi"; }
        String defaultReferenceLabel() { return "nambari ya akaunti"; }
        String invalidReference() { return "Kumbukumbu si sahihi. Tumia hadi herufi au tarakimu 20."; }
        String confirmation(String amount, String name, String reference) {
            String ref = reference == null ? "" : "\nKumb: " + reference;
            return "Lipa " + amount + " kwa " + name + ref + "\n1. Thibitisha\n2. Ghairi\n0 Rudi";
        }
        String cancelled() { return "Malipo yameghairiwa. Hujatozwa chochote."; }
        String promptComing(String amount, String name) {
            return "Utapokea ombi la M-Pesa la kulipa " + amount + " kwa " + name
                    + ". Weka PIN yako ya M-Pesa ili kukamilisha.";
        }
        String openPayment(String amount, String name) {
            return "Tayari una malipo ya " + amount + " kwa " + name
                    + " ambayo hayajakamilika. Kamilisha au ghairi ombi lake la M-Pesa kwanza.";
        }
        String unavailable() { return "Huduma haipatikani kwa sasa. Tafadhali jaribu tena baadaye."; }

        @Override
        String sessionUsed() { return "Kipindi hiki kimeshafanya malipo mengine. Tafadhali piga tena."; }
        String noPayments() { return "Bado huna malipo yoyote."; }
        String lastPayment(String amount, String name, String time, String state, String receipt) {
            return "Malipo ya mwisho: " + amount + " kwa " + name + "\nTarehe " + time + "\nHali: " + state
                    + "\nRisiti: " + receipt;
        }
        String noReceipt() { return "hakuna"; }
        String pending() { return "yanasubiri"; }
        String paid() { return "yamelipwa"; }
        String failed() { return "hayakufaulu"; }
        String smsHelp() {
            return "Kulipa tuma: PAY <nambari ya biashara> <kiasi> [kumbukumbu], mfano PAY 5001 500."
                    + " Kwa malipo yako ya mwisho tuma: STATUS";
        }
        String smsNeedsReference(String name, String label, String businessNumber, String amount) {
            return name + " inahitaji " + label + ". Tuma: PAY " + businessNumber + " " + amount + " <" + label + ">";
        }
        String smsInvalidRequest(String amount, String name) {
            return "Malipo ya " + amount + " kwa " + name + " hayakuanzishwa: ombi si sahihi.";
        }
    }
}
