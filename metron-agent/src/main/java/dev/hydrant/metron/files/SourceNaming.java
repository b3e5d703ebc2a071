package dev.hydrant.metron.files;

import dev.hydrant.metron.files.FilesProperties.Layout;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source id, instance id and {@code source_type} of a file's envelopes, from the templates of
 * its input and, for the Kubernetes layout, from its path
 * {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log}.
 *
 * <p>{@code {pod-base}} is the pod name without what its controller appended: a Deployment's
 * {@code -<template hash>-<5 characters>}, a DaemonSet's or Job's {@code -<5 characters>} (both from
 * Kubernetes' alphabet of consonants and digits {@code bcdfghjklmnpqrstvwxz2456789}) or a
 * StatefulSet's {@code -<ordinal>}: {@code web-7d4b9c8f6d-x2x9k} is {@code web}, {@code db-0} is {@code db}.
 */
final class SourceNaming {

    /** The names of one file's envelopes. */
    record Names(String sourceId, String instanceId, String sourceType) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z-]+)}");
    private static final Set<String> ALWAYS = Set.of("file");
    private static final Set<String> KUBERNETES = Set.of("file", "namespace", "pod", "pod-base", "uid", "container", "restart");
    private static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
    private static final Pattern POD_SUFFIX = Pattern.compile("(-" + SAFE + "{6,10})?-" + SAFE + "{5}$|-\\d+$");

    private final Layout layout;
    private final String sourceId;
    private final String instanceId;
    private final String sourceType;

    private SourceNaming(Layout layout, String sourceId, String instanceId, String sourceType) {
        this.layout = layout;
        this.sourceId = sourceId;
        this.instanceId = instanceId;
        this.sourceType = sourceType;
    }

    /** The naming of an input, its templates checked; {@code setting} is the input's prefix. */
    static SourceNaming of(FilesProperties.Input input, String setting) {
        boolean kubernetes = input.layout() == Layout.KUBERNETES;
        String source = orDefault(input.sourceId(), kubernetes ? "{namespace}/{pod-base}" : null);
        if (source == null) {
            throw new InvalidSettingException(setting + ".source-id", "required unless layout is kubernetes");
        }
        String instance = orDefault(input.instanceId(), kubernetes ? "{pod}" : "0");
        String type = orDefault(input.sourceType(), kubernetes ? "{container}" : "FILE");
        Set<String> known = kubernetes ? KUBERNETES : ALWAYS;
        check(source, known, setting + ".source-id");
        check(instance, known, setting + ".instance-id");
        check(type, known, setting + ".source-type");
        return new SourceNaming(input.layout(), source, instance, type);
    }

    /** The names of {@code file}; {@code null} when the layout wants a path {@code file} does not have. */
    Names names(Path file) {
        Map<String, String> values = new HashMap<>();
        String fileName = file.getFileName().toString();
        values.put("file", fileName.endsWith(".log") ? fileName.substring(0, fileName.length() - 4) : fileName);
        if (layout == Layout.KUBERNETES && !kubernetes(file, values)) {
            return null;
        }
        return new Names(fill(sourceId, values), fill(instanceId, values), fill(sourceType, values));
    }

    private static boolean kubernetes(Path file, Map<String, String> values) {
        Path container = file.getParent();
        Path pod = container == null ? null : container.getParent();
        if (pod == null || pod.getFileName() == null) {
            return false;
        }
        String[] parts = pod.getFileName().toString().split("_", -1); // -1: a trailing "_" is a fourth, empty part
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return false;
        }
        values.put("namespace", parts[0]);
        values.put("pod", parts[1]);
        values.put("pod-base", podBase(parts[1]));
        values.put("uid", parts[2]);
        values.put("container", container.getFileName().toString());
        values.put("restart", values.get("file"));
        return true;
    }

    /** The pod name without the suffix its controller appended. */
    static String podBase(String pod) {
        String base = POD_SUFFIX.matcher(pod).replaceFirst("");
        return base.isEmpty() ? pod : base;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void check(String template, Set<String> known, String setting) {
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1))) {
                throw new InvalidSettingException(setting, "unknown variable {" + matcher.group(1) + "}, known are "
                        + known.stream().sorted().map(v -> "{" + v + "}").toList());
            }
        }
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(values.get(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
