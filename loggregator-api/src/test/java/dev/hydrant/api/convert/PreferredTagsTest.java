package dev.hydrant.api.convert;

import static org.assertj.core.api.Assertions.assertThat;

import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.Test;

class PreferredTagsTest {

    @Test
    void deprecatedTags_becomeStringTags_andStringTagsWinOnConflict() {
        Envelope envelope = Envelope.newBuilder()
                .putTags("shared", "from-tags")
                .putDeprecatedTags("shared", Value.newBuilder().setText("from-deprecated").build())
                .putDeprecatedTags("text", Value.newBuilder().setText("t").build())
                .putDeprecatedTags("integer", Value.newBuilder().setInteger(-42).build())
                .putDeprecatedTags("decimal", Value.newBuilder().setDecimal(1e10).build())
                .putDeprecatedTags("fraction", Value.newBuilder().setDecimal(0.25).build())
                .putDeprecatedTags("nan", Value.newBuilder().setDecimal(Double.NaN).build())
                .putDeprecatedTags("unset", Value.getDefaultInstance())
                .build();

        Envelope flat = PreferredTags.flatten(envelope);

        assertThat(flat.getDeprecatedTagsMap()).isEmpty();
        assertThat(flat.getTagsMap())
                .containsEntry("shared", "from-tags")
                .containsEntry("text", "t")
                .containsEntry("integer", "-42")
                .containsEntry("decimal", "10000000000")
                .containsEntry("fraction", "0.25")
                .containsEntry("nan", "NaN")
                .containsEntry("unset", "");
    }

    @Test
    void envelopeWithoutDeprecatedTags_isReturnedAsIs() {
        Envelope envelope = Envelope.newBuilder().putTags("a", "b").build();

        assertThat(PreferredTags.flatten(envelope)).isSameAs(envelope);
    }
}
