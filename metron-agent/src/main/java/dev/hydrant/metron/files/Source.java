package dev.hydrant.metron.files;

/**
 * One input, its settings checked: where its files are, how they are read and named.
 *
 * @param path the path or glob as configured
 */
record Source(String path, InputGlob glob, LineFormat format, SourceNaming naming) {

    /** The input {@code index} of the settings; errors name its settings. */
    static Source of(FilesProperties.Input input, int index) {
        String setting = FilesProperties.PREFIX + ".inputs[" + index + "]";
        return new Source(input.path(), InputGlob.of(input.path(), setting + ".path"), input.format(),
                SourceNaming.of(input, setting));
    }

    String describe() {
        return path + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
