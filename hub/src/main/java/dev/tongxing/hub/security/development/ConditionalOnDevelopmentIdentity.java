package dev.tongxing.hub.security.development;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/** Present only in demo mode with no identity provider configured. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnExpression("'${tongxing.security.issuer:}'.isBlank() and '${tongxing.demo.enabled:false}' == 'true'")
public @interface ConditionalOnDevelopmentIdentity {}
