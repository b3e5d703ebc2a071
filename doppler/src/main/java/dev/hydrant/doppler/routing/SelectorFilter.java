package dev.hydrant.doppler.routing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * The compiled selectors of one subscriber: an envelope matches when any selector matches it,
 * so an envelope that several selectors match is still delivered once.
 */
final class SelectorFilter {

    /** One selector: {@code sourceId} null means every source; names are only set for their type. */
    record Rule(String sourceId, Envelope.MessageCase type, String counterName, List<String> gaugeNames) {

        boolean matches(RoutingFields envelope) {
            if (envelope.type() != type) {
                return false;
            }
            if (sourceId != null && !sourceId.equals(envelope.sourceId())) {
                return false;
            }
            if (type == Envelope.MessageCase.COUNTER) {
                return counterName == null || counterName.equals(envelope.counterName());
            }
            if (type == Envelope.MessageCase.GAUGE && !gaugeNames.isEmpty()) {
                List<String> names = envelope.gaugeNames();
                for (int i = 0, n = gaugeNames.size(); i < n; i++) {
                    if (!names.contains(gaugeNames.get(i))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final Rule[] rules;
    private final List<Rule> ruleList;

    private SelectorFilter(List<Rule> rules) {
        this.ruleList = List.copyOf(rules);
        this.rules = ruleList.toArray(new Rule[0]);
    }

    /**
     * Compiles selectors; a selector without a type is refused.
     *
     * @throws InvalidSelectorException naming the selector that has no type
     */
    static SelectorFilter compile(List<Selector> selectors) {
        Set<Rule> rules = new LinkedHashSet<>();
        for (int i = 0; i < selectors.size(); i++) {
            rules.add(rule(selectors.get(i), i));
        }
        return new SelectorFilter(new ArrayList<>(rules));
    }

    private static Rule rule(Selector selector, int index) {
        String source = selector.getSourceId().isEmpty() ? null : selector.getSourceId();
        return switch (selector.getMessageCase()) {
            case LOG -> new Rule(source, Envelope.MessageCase.LOG, null, List.of());
            case COUNTER -> new Rule(source, Envelope.MessageCase.COUNTER,
                    selector.getCounter().getName().isEmpty() ? null : selector.getCounter().getName(), List.of());
            case GAUGE -> new Rule(source, Envelope.MessageCase.GAUGE, null,
                    List.copyOf(new LinkedHashSet<>(selector.getGauge().getNamesList())));
            case TIMER -> new Rule(source, Envelope.MessageCase.TIMER, null, List.of());
            case EVENT -> new Rule(source, Envelope.MessageCase.EVENT, null, List.of());
            case MESSAGE_NOT_SET -> throw new InvalidSelectorException("selector " + index
                    + (source == null ? "" : " (source_id " + source + ")")
                    + " has no envelope type; set one of log, counter, gauge, timer, event");
        };
    }

    boolean matches(RoutingFields envelope) {
        for (Rule rule : rules) {
            if (rule.matches(envelope)) {
                return true;
            }
        }
        return false;
    }

    /** The envelope types some selector takes. */
    Set<Envelope.MessageCase> types() {
        Set<Envelope.MessageCase> types = EnumSet.noneOf(Envelope.MessageCase.class);
        for (Rule rule : rules) {
            types.add(rule.type());
        }
        return types;
    }

    /** Whether some selector takes every source id. */
    boolean anySource() {
        for (Rule rule : rules) {
            if (rule.sourceId() == null) {
                return true;
            }
        }
        return false;
    }

    /** The source ids named by selectors (meaningful when {@link #anySource()} is false). */
    Set<String> sourceIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if (rule.sourceId() != null) {
                ids.add(rule.sourceId());
            }
        }
        return ids;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SelectorFilter that && ruleList.equals(that.ruleList);
    }

    @Override
    public int hashCode() {
        return ruleList.hashCode();
    }
}
