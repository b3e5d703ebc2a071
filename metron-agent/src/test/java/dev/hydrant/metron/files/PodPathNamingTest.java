package dev.hydrant.metron.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.metron.files.FilesProperties.Layout;
import dev.hydrant.metron.files.SourceNaming.Names;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes layout names a file only when its pod directory is exactly {@code <namespace>_<pod>_<uid>}, each
 * part non-empty (a finding of the fuzz module's {@code PodLogPathFuzzTest}: a trailing {@code _} was dropped).
 */
class PodPathNamingTest {

    private final SourceNaming naming = SourceNaming.of(
            new FilesProperties.Input("/var/log/pods/*/*/*.log", LineFormat.CRI, Layout.KUBERNETES, null, null, null),
            "hydrant.metron.files.inputs[0]");

    @Test
    void aPodDirectoryOfThreeParts_isNamed() {
        assertThat(naming.names(Path.of("/var/log/pods/shop_web-7d4b9c8f6d-x2x9k_0f3c/nginx/0.log")))
                .isEqualTo(new Names("shop/web", "web-7d4b9c8f6d-x2x9k", "nginx"));
    }

    @Test
    void aPodDirectoryWithAnEmptyPartOrAFourth_isNotInTheLayout() {
        for (String directory : new String[] {"shop_web_0f3c_", "shop_web_0f3c__", "shop_web_", "shop_web__",
                "_web_0f3c", "shop__0f3c", "shop_web_0f3c_x"}) {
            assertThat(naming.names(Path.of("/var/log/pods", directory, "nginx", "0.log"))).as(directory).isNull();
        }
    }
}
