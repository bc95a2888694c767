package io.ironcage.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/** Collects the asynchronous CDI events the router fires, as an application observing them would. */
@ApplicationScoped
public class AsyncEvents {

    private final List<Object> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync Object event) {
        seen.add(event);
    }

    /** The events of a type that match, in the order they were fired. */
    public <T> List<T> of(Class<T> type, Predicate<T> matching) {
        return seen.stream().filter(type::isInstance).map(type::cast).filter(matching).toList();
    }
}
