import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's "vertx" target: the cheapest reverse proxy the router's stack (a Vert.x HTTP server and HTTP
 * client, as Quarkus brings them) can be, with no logic at all. It reads the request body (the router must, to route
 * on the model), sends it upstream with a provider key, and pipes the answer back as it comes (JSON or SSE).
 * Its row shows how much of the router's cost is the stack and how much the router's own work.
 *
 * <p>Run as a single-file source: {@code java -cp <vertx-core classpath> VertxProxy.java <port> <upstream port>}.
 */
public final class VertxProxy {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        HttpClient upstream = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstreamPort).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> forward(request, upstream))
                .listen()
                .onSuccess(server -> System.out.println("vertx proxy on 127.0.0.1:" + server.actualPort()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    private static void forward(HttpServerRequest request, HttpClient upstream) {
        request.body()
                .compose(body -> upstream.request(new RequestOptions()
                        .setMethod(request.method())
                        .setURI(request.uri())
                        .putHeader(HttpHeaders.CONTENT_TYPE, request.getHeader(HttpHeaders.CONTENT_TYPE))
                        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer sk-bench"))
                        .compose(upstreamRequest -> upstreamRequest.send(body)))
                .onSuccess(answer -> relay(answer, request.response()))
                .onFailure(failure -> request.response().setStatusCode(502).end());
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        String contentType = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        answer.pipeTo(response);
    }
}
