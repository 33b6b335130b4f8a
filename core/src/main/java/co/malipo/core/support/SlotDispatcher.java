package co.malipo.core.support;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.jboss.logging.Logger;

/**
 * Runs queued work in a fixed number of slots. One dispatcher thread claims as many items as
 * there are free slots and starts each at once, so one slow item holds only its own slot. A
 * finished item frees its slot and wakes the dispatcher, and a {@link #wake()} during a drain
 * makes that drain go round once more, so no wake is lost.
 *
 * @param <T> a claimed item
 */
public final class SlotDispatcher<T> {

    private static final Logger LOG = Logger.getLogger(SlotDispatcher.class);

    private final String name;
    private final IntFunction<List<T>> claim;
    private final Consumer<T> work;
    private final Function<T, String> describe;
    private final ExecutorService dispatcher;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    /**
     * Creates a dispatcher. {@code claim} receives the number of free slots and returns at most
     * that many items; {@code describe} names an item in error logs.
     */
    public SlotDispatcher(String name, int slots, IntFunction<List<T>> claim, Consumer<T> work,
            Function<T, String> describe) {
        this.name = name;
        this.claim = claim;
        this.work = work;
        this.describe = describe;
        this.slots = new Semaphore(slots);
        this.dispatcher = Executors.newSingleThreadExecutor(daemon("malipo-" + name + "-dispatch"));
        this.workers = Executors.newFixedThreadPool(slots, daemon("malipo-" + name + "-work"));
    }

    /** Starts a drain unless one is running, in which case that one goes round once more. */
    public void wake() {
        wakeRequested.set(true);
        if (draining.compareAndSet(false, true)) {
            dispatcher.submit(this::drain);
        }
    }

    /** Stops both thread pools; items in progress are interrupted and their leases return them later. */
    public void stop() {
        dispatcher.shutdownNow();
        workers.shutdownNow();
    }

    private void drain() {
        try {
            while (wakeRequested.getAndSet(false)) {
                claimWhileSlotsFree();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "The %s queue drain failed; the schedule will try again", name);
        } finally {
            draining.set(false);
            if (wakeRequested.get() && draining.compareAndSet(false, true)) {
                dispatcher.submit(this::drain);
            }
        }
    }

    private void claimWhileSlotsFree() {
        while (true) {
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            List<T> claimed = claim.apply(free);
            if (claimed.isEmpty()) {
                return;
            }
            for (T item : claimed) {
                // Only this thread takes slots and it claimed no more than were free, so this never waits.
                slots.acquireUninterruptibly();
                workers.submit(() -> runAndRelease(item));
            }
        }
    }

    private void runAndRelease(T item) {
        try {
            work.accept(item);
        } catch (RuntimeException e) {
            LOG.errorf(e, "The %s work on %s failed unexpectedly; its lease expiry returns it", name, describe.apply(item));
        } finally {
            slots.release();
            wake();
        }
    }

    private static ThreadFactory daemon(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }
}
