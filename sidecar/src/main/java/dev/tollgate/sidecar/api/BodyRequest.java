package dev.tollgate.sidecar.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client request kept as its validated JSON body: the body itself, the model it names, and, as
 * OpenAI's APIs spell them, whether it streams ({@code stream}) and the end user ({@code user}).
 * Each client API's request overrides what its API spells otherwise.
 */
public abstract class BodyRequest implements ClientRequest {
    private final ObjectNode body;
    private final String model;

    protected BodyRequest(ObjectNode body) {
        this.body = body;
        this.model = body.get("model").textValue();
    }

    @Override
    public final ObjectNode body() {
        return body;
    }

    @Override
    public final String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    @Override
    public String user() {
        return body.path("user").textValue();
    }
}
