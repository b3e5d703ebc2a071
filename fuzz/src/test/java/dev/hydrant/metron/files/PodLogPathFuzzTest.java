package dev.hydrant.metron.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hydrant.metron.files.FilesProperties.Layout;
import dev.hydrant.metron.files.SourceNaming.Names;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes naming of a file (metron-agent README, "Templates"): any path a glob under a {@code /var/log/pods}
 * root can match, named with any templates. Templates with an unknown variable are refused with an
 * {@link InvalidSettingException} naming the setting; a path not of the form
 * {@code <namespace>_<pod>_<uid>/<container>/<restart>.log} is refused with {@code null} (the file is skipped and
 * counted); any other gets the templates filled with exactly its parts, {@code {pod-base}} being the pod name
 * without one of the documented controller suffixes, never empty. A pod name built as a controller builds it from
 * a base without {@code -} gives back that base.
 */
class PodLogPathFuzzTest {

    private static final Path PODS = Path.of("/var/log/pods");
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
    private static final Pattern SUFFIX = Pattern.compile("(-[" + SAFE + "]{6,10})?-[" + SAFE + "]{5}|-[0-9]+");
    private static final String[] TEMPLATES = {"{namespace}/{pod-base}", "{pod}", "{container}", "{uid}", "{restart}",
            "{file}", "{namespace}", "app-{pod-base}-{restart}", "{unknown}", "{Pod}", "{{pod}}", "plain", "", null};

    @DictionaryEntries({"_", "/", "-", ".log", "-7d4b9c8f6d-x2x9k", "-0", "{pod-base}", "{namespace}", "{pod}",
            "{uid}", "{container}", "{restart}", "{file}"})
    @FuzzTest(maxDuration = "10s")
    void anyPodLogPathIsNamedByItsPartsOrSkipped(FuzzedDataProvider data) {
        String[] templates = new String[3];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = data.consumeBoolean() ? data.pickValue(TEMPLATES) : data.consumeString(24);
        }
        String base = data.consumeString(20).replace("-", "").replace("/", "");
        String suffix = controllerSuffix(data);
        boolean built = data.consumeBoolean();
        String relative = built
                ? data.consumeString(20) + "_" + base + suffix + "_" + data.consumeString(40) + "/" + data.consumeString(20)
                        + "/" + data.consumeRemainingAsString()
                : data.consumeRemainingAsString();

        SourceNaming naming;
        try {
            naming = SourceNaming.of(new FilesProperties.Input("/var/log/pods/*/*/*.log", LineFormat.CRI,
                    Layout.KUBERNETES, templates[0], templates[1], templates[2]), "hydrant.metron.files.inputs[0]");
        } catch (InvalidSettingException refused) {
            assertThat(refused.getMessage()).contains("hydrant.metron.files.inputs[0].").contains("unknown variable");
            return;
        }
        Path file;
        try {
            file = PODS.resolve(relative);
        } catch (InvalidPathException notAPath) {
            return; // no file system holds it
        }
        if (file.getFileName() == null) {
            return; // the root: no glob matches it
        }

        Names names = naming.names(file);

        Map<String, String> parts = parts(file);
        if (parts == null) {
            assertThat(names).as("names of %s", file).isNull();
            return;
        }
        assertThat(names).as("names of %s", file).isNotNull();
        String pod = parts.get("pod");
        String podBase = parts.get("pod-base");
        assertThat(podBase).isNotEmpty();
        assertThat(pod).startsWith(podBase);
        if (!podBase.equals(pod)) {
            assertThat(SUFFIX.matcher(pod.substring(podBase.length())).matches())
                    .as("%s is %s without a controller suffix", pod, podBase).isTrue();
        }
        if (built && !base.isEmpty() && parts.get("pod").equals(base + suffix)) {
            assertThat(podBase).isEqualTo(base);
        }
        assertThat(names.sourceId()).isEqualTo(filled(orDefault(templates[0], "{namespace}/{pod-base}"), parts));
        assertThat(names.instanceId()).isEqualTo(filled(orDefault(templates[1], "{pod}"), parts));
        assertThat(names.sourceType()).isEqualTo(filled(orDefault(templates[2], "{container}"), parts));
    }

    /** One of the suffixes a controller appends to a pod's name, or none. */
    private static String controllerSuffix(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> "-" + safe(data, data.consumeInt(6, 10)) + "-" + safe(data, 5); // Deployment
            case 1 -> "-" + safe(data, 5); // DaemonSet, Job
            case 2 -> "-" + data.consumeInt(0, Integer.MAX_VALUE); // StatefulSet
            default -> "";
        };
    }

    private static String safe(FuzzedDataProvider data, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(SAFE.charAt(data.consumeInt(0, SAFE.length() - 1)));
        }
        return out.toString();
    }

    /** The variables of a path in the layout, read here independently; {@code null} when it is not in it. */
    private static Map<String, String> parts(Path file) {
        Path container = file.getParent();
        Path podDirectory = container == null ? null : container.getParent();
        if (podDirectory == null || podDirectory.getFileName() == null) {
            return null;
        }
        String name = podDirectory.getFileName().toString();
        int first = name.indexOf('_');
        int second = first < 0 ? -1 : name.indexOf('_', first + 1);
        if (first <= 0 || second < 0 || second == first + 1 || name.indexOf('_', second + 1) >= 0
                || second == name.length() - 1) {
            return null;
        }
        String fileName = file.getFileName().toString();
        String restart = fileName.endsWith(".log") ? fileName.substring(0, fileName.length() - 4) : fileName;
        String pod = name.substring(first + 1, second);
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("namespace", name.substring(0, first));
        parts.put("pod", pod);
        parts.put("pod-base", SourceNaming.podBase(pod));
        parts.put("uid", name.substring(second + 1));
        parts.put("container", container.getFileName().toString());
        parts.put("restart", restart);
        parts.put("file", restart);
        return parts;
    }

    private static String orDefault(String template, String fallback) {
        return template == null || template.isBlank() ? fallback : template;
    }

    private static String filled(String template, Map<String, String> parts) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (close < 0) {
                break;
            }
            String variable = template.substring(open + 1, close);
            if (variable.matches("[a-z-]+")) {
                out.append(template, at, open).append(parts.get(variable));
                at = close + 1;
            } else {
                out.append(template, at, open + 1);
                at = open + 1;
            }
        }
        return out.append(template.substring(at)).toString();
    }
}
