package io.slipway.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What people waiting for the stack images hear, on a clock the test moves. */
class StackProgressTest {
    final AtomicLong now = new AtomicLong();
    final StackProgress progress = new StackProgress(now::get, Duration.ofSeconds(2));

    void advance(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
        progress.tick();
    }

    @Test
    void aSilenceLongerThanTwoSecondsSaysWhatIsAwaitedAndForHowLong() {
        List<String> heard = new ArrayList<>();
        progress.listen(heard::add);
        progress.activity("bootstrapping the Debian base image");

        advance(1);
        assertThat(heard).isEmpty();
        advance(1.5);
        advance(1);
        advance(1.5);

        assertThat(heard).containsExactly(
                "       ... still bootstrapping the Debian base image (2 s)",
                "       ... still bootstrapping the Debian base image (5 s)");
    }

    @Test
    void outputResetsTheSilenceAndANewActivityRestartsItsTime() {
        List<String> heard = new ArrayList<>();
        progress.listen(heard::add);
        progress.activity("building the build stack image, Step 1/3 : FROM base");
        advance(1.5);
        progress.detail("Get:1 http://deb.debian.org bookworm/main bash");
        advance(1.5);
        progress.activity("building the build stack image, Step 2/3 : RUN apt-get install");
        advance(2);

        assertThat(heard).containsExactly("       Get:1 http://deb.debian.org bookworm/main bash",
                "       ... still building the build stack image, Step 2/3 : RUN apt-get install (2 s)");
    }

    @Test
    void everyoneWaitingHearsTheLinesUntilTheyLeaveAndOneFailingListenerSilencesNobody() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        progress.listen(line -> {
            throw new IllegalStateException("the pusher went away");
        });
        StackProgress.Registration one = progress.listen(first::add);
        progress.listen(second::add);

        progress.step("Building the run stack image");
        one.close();
        progress.detail("Step 2/3 : RUN apt-get install");

        assertThat(first).containsExactly("-----> Building the run stack image");
        assertThat(second).containsExactly("-----> Building the run stack image", "       Step 2/3 : RUN apt-get install");
    }
}
