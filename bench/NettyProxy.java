import java.util.ArrayDeque;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The benchmark's "netty" target: the cheapest reverse proxy plain Netty (the transport under Vert.x, which Quarkus
 * brings too) can be, with no logic at all, written as {@link VertxProxy} is: it reads the whole request body, sends
 * it upstream on a kept-alive connection of its event loop with a provider key, and passes the answer back as it
 * comes (JSON or SSE, flushed per piece). Its row shows what the same work costs without Vert.x's HTTP server and
 * client on top of Netty: the floor of a data path that left them.
 *
 * <p>Run as a single-file source: {@code java -cp <netty classpath> NettyProxy.java <port> <upstream port> [loops]}
 * (event loops, default 1 as {@code VertxProxy}'s one server).
 */
public final class NettyProxy {

    private static final int MAX_BODY = 10 * 1024 * 1024;
    /** Idle upstream connections, one pool per event loop (a connection is only used on its own loop). */
    private static final ThreadLocal<ArrayDeque<Channel>> IDLE = ThreadLocal.withInitial(ArrayDeque::new);

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        NioEventLoopGroup group = new NioEventLoopGroup(loops);
        Bootstrap upstream = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).remoteAddress("127.0.0.1", upstreamPort)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new Relay());
                    }
                });
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Forward(upstream));
                    }
                }).bind("127.0.0.1", port).sync().channel();
        System.out.println("netty proxy on " + server.localAddress());
    }

    /** Client side: sends each whole request upstream, on an idle connection or a new one. */
    private static final class Forward extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Bootstrap upstream;

        Forward(Bootstrap upstream) {
            this.upstream = upstream;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
                    request.content().retain());
            out.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                    .set(HttpHeaderNames.CONTENT_TYPE, request.headers().get(HttpHeaderNames.CONTENT_TYPE))
                    .set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes())
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer sk-bench");
            Channel client = ctx.channel();
            Channel idle = IDLE.get().pollLast();
            if (idle != null && idle.isActive()) {
                send(idle, client, out);
                return;
            }
            upstream.clone(ctx.channel().eventLoop()).connect().addListener(f -> {
                if (f.isSuccess()) {
                    send(((ChannelFuture) f).channel(), client, out);
                } else {
                    out.release();
                    client.close();
                }
            });
        }

        private static void send(Channel connection, Channel client, FullHttpRequest request) {
            connection.pipeline().get(Relay.class).client = client;
            connection.writeAndFlush(request);
        }
    }

    /** Upstream side: passes the answer's head and pieces to the client, then returns the connection to the pool. */
    private static final class Relay extends SimpleChannelInboundHandler<HttpObject> {
        Channel client;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject piece) {
            if (piece instanceof HttpResponse answer) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, answer.status());
                copy(answer, head, HttpHeaderNames.CONTENT_TYPE);
                copy(answer, head, HttpHeaderNames.CONTENT_LENGTH);
                copy(answer, head, HttpHeaderNames.TRANSFER_ENCODING);
                client.write(head);
            }
            if (piece instanceof HttpContent content) {
                ByteBuf bytes = content.content().retain();
                if (piece instanceof LastHttpContent) {
                    client.writeAndFlush(new DefaultLastHttpContent(bytes));
                    client = null;
                    IDLE.get().addLast(ctx.channel());
                } else {
                    client.write(new DefaultHttpContent(bytes));
                }
            }
        }

        /** What one read from upstream brought goes out in one write, as nginx passes on what it read. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (client != null) {
                client.flush();
            }
        }

        private static void copy(HttpResponse from, HttpResponse to, CharSequence name) {
            String value = from.headers().get(name);
            if (value != null) {
                to.headers().set(name, value);
            }
        }
    }
}
