package co.malipo.admin.overview;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.admin.auth.Role;
import co.malipo.admin.web.Formats;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.merchant.Environment;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The overview: today's and yesterday's figures and the last 14 days' collections, by East Africa Time day. */
@Path("/")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class OverviewResource {

    static final int CHART_DAYS = 14;

    /** Count and amount of one group of invoices. */
    public record Figure(String label, long count, BigDecimal amount) {
    }

    /** One day's figures by state and by channel, with the success rate of its finished invoices. */
    public record Day(String title, LocalDate date, List<Figure> byState, List<Figure> byChannel, long count, BigDecimal amount,
            String successRate) {
    }

    /** One bar of the chart: a day's completed amount, with its width as a percentage of the largest day. */
    public record Bar(LocalDate date, long count, BigDecimal amount, int percent) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(String environment, List<Day> days, long open,
                long attention, List<Bar> chart);
    }

    private final OverviewRepository repository;
    private final Clock clock;

    public OverviewResource(OverviewRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response overview(@QueryParam("environment") String environmentParameter) {
        Environment environment;
        if (environmentParameter == null || environmentParameter.isEmpty() || "LIVE".equals(environmentParameter)) {
            environment = Environment.LIVE;
        } else if ("TEST".equals(environmentParameter)) {
            environment = Environment.TEST;
        } else {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN)
                    .entity("Invalid environment. Use LIVE or TEST, or leave it out for LIVE.").build();
        }
        LocalDate today = LocalDate.now(clock.withZone(Formats.EAT));
        LocalDate first = today.minusDays(CHART_DAYS - 1);
        List<OverviewRepository.DayCell> cells = repository.cells(environment, first, CHART_DAYS);
        return Response.ok(Templates.overview(environment.name(),
                List.of(day("Today", today, cells), day("Yesterday", today.minusDays(1), cells)),
                repository.openCount(environment), repository.attentionCount(), chart(first, today, cells))).build();
    }

    static Day day(String title, LocalDate date, List<OverviewRepository.DayCell> cells) {
        Map<String, Figure> byState = new LinkedHashMap<>();
        for (InvoiceState state : InvoiceState.values()) {
            byState.put(state.name(), new Figure(state.name(), 0, BigDecimal.ZERO));
        }
        Map<String, Figure> byChannel = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            byChannel.put(channel.name(), new Figure(channel.name(), 0, BigDecimal.ZERO));
        }
        long count = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (OverviewRepository.DayCell cell : cells) {
            if (!cell.day().equals(date)) {
                continue;
            }
            byState.merge(cell.state(), new Figure(cell.state(), cell.count(), cell.amount()), OverviewResource::add);
            byChannel.merge(cell.channel(), new Figure(cell.channel(), cell.count(), cell.amount()),
                    OverviewResource::add);
            count += cell.count();
            amount = amount.add(cell.amount());
        }
        long complete = byState.get(InvoiceState.COMPLETE.name()).count();
        long failed = byState.get(InvoiceState.FAILED.name()).count();
        String rate = complete + failed == 0 ? "no finished invoices"
                : BigDecimal.valueOf(complete * 100).divide(BigDecimal.valueOf(complete + failed), 1,
                        RoundingMode.HALF_UP) + "%";
        return new Day(title, date, List.copyOf(byState.values()), List.copyOf(byChannel.values()), count, amount, rate);
    }

    static List<Bar> chart(LocalDate first, LocalDate last, List<OverviewRepository.DayCell> cells) {
        Map<LocalDate, Figure> collected = new LinkedHashMap<>();
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            collected.put(date, new Figure(date.toString(), 0, BigDecimal.ZERO));
        }
        for (OverviewRepository.DayCell cell : cells) {
            if (cell.state().equals(InvoiceState.COMPLETE.name()) && collected.containsKey(cell.day())) {
                collected.merge(cell.day(), new Figure(cell.day().toString(), cell.count(), cell.amount()),
                        OverviewResource::add);
            }
        }
        BigDecimal largest = collected.values().stream().map(Figure::amount).max(BigDecimal::compareTo)
                .orElse(BigDecimal.ZERO);
        List<Bar> bars = new ArrayList<>();
        collected.forEach((date, figure) -> bars.add(new Bar(date, figure.count(), figure.amount(),
                largest.signum() == 0 ? 0
                        : figure.amount().multiply(BigDecimal.valueOf(100)).divide(largest, 0, RoundingMode.HALF_UP)
                                .intValue())));
        return bars;
    }

    private static Figure add(Figure a, Figure b) {
        return new Figure(a.label(), a.count() + b.count(), a.amount().add(b.amount()));
    }
}
