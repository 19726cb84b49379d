package dev.tongxing.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Tongxing hub: one gRPC contract in front of every province's health code and the travel card. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TongxingHub {

    public static void main(String[] args) {
        SpringApplication.run(TongxingHub.class, args);
    }
}
