package dev.fixgate.patch.corpus;

import java.util.List;
import java.util.Map;

/** Lets tests outside the corpus package read a template the independent way. */
public final class CfnModelAccess {

    private CfnModelAccess() {
    }

    /** The {@code Value} of the first tag of a resource. */
    public static Object tagValue(String template, String logicalId) {
        List<Object> tags = CfnModel.list(CfnModel.parse(template).properties(logicalId).get("Tags"));
        return ((Map<?, ?>) tags.get(0)).get("Value");
    }
}
