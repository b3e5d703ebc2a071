package dev.hydrant.standalone.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    @Test
    void settingsPrefixedWithAComponentGoToThatComponentOnly_othersGoToAll() {
        StackSettings settings = StackSettings.parse(List.of("--traffic-controller.server.port=9081",
                "--metron.server.port=9459", "--logging.level.root=INFO"), Map.of());

        assertThat(settings.argumentsOf(Component.TRAFFIC_CONTROLLER))
                .containsExactly("--server.port=9081", "--logging.level.root=INFO");
        assertThat(settings.argumentsOf(Component.METRON)).containsExactly("--server.port=9459", "--logging.level.root=INFO");
        assertThat(settings.argumentsOf(Component.DOPPLER)).contains("--logging.level.root=INFO")
                .doesNotContain("--server.port=9081", "--server.port=9459");
    }

    @Test
    void theDopplerPort_isPassedToTheDopplerAsGiven_zeroIncluded() {
        assertThat(StackSettings.parse(List.of("--hydrant.doppler.port=0"), Map.of()).argumentsOf(Component.DOPPLER))
                .containsExactly("--hydrant.doppler.port=0");
        assertThat(StackSettings.parse(List.of(), Map.of()).argumentsOf(Component.DOPPLER)).isEmpty();
    }

    @Test
    void theDataDirectoryComesFromTheOption_elseHydrantHome_elseDotHydrant() {
        assertThat(StackSettings.parse(List.of("--hydrant.home=/tmp/a"), Map.of("HYDRANT_HOME", "/tmp/b")).home().root())
                .isEqualTo(Path.of("/tmp/a"));
        assertThat(StackSettings.parse(List.of(), Map.of("HYDRANT_HOME", "/tmp/b")).home().root()).isEqualTo(Path.of("/tmp/b"));
        assertThat(StackSettings.parse(List.of(), Map.of()).home().root()).isEqualTo(Path.of(".hydrant").toAbsolutePath());
    }

    @Test
    void anArgumentThatIsNotASettingIsRefusedWithAMessage() {
        assertThatThrownBy(() -> StackSettings.parse(List.of("demo"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'demo'").hasMessageContaining("--name=value");
    }
}
