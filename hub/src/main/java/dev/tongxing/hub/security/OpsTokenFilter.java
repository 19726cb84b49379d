package dev.tongxing.hub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code tongxing.security.ops-token-required}, the operations port's endpoints (metrics,
 * info) answer only callers with an {@code operator} or {@code auditor} access token, validated
 * exactly as gRPC calls are. Only the bare liveness answer stays open, for probes.
 */
@Component
@ConditionalOnProperty(name = "tongxing.security.ops-token-required", havingValue = "true")
public class OpsTokenFilter extends OncePerRequestFilter {

    private final AccessTokenVerifier tokens;

    public OpsTokenFilter(AccessTokenVerifier tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().equals("/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var token = AccessTokenVerifier.bearerToken(request.getHeader("Authorization"));
        if (token.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "an operator access token is required (Authorization: Bearer <token>)");
            return;
        }
        Caller caller;
        try {
            caller = tokens.verify(token.get());
        } catch (InvalidAccessToken invalid) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, invalid.getMessage());
            return;
        }
        if (!caller.has(Role.OPERATOR) && !caller.has(Role.AUDITOR)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "the operations port requires the role operator or auditor");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(reason);
    }
}
