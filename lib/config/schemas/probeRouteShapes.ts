import { z } from "zod";
import { headers, METHODS, path } from "./httpParts.ts";
import { type ProfileNames, serviceRef } from "./profileRefs.ts";
import { obj, oneOf } from "./schemaParts.ts";

/* The parts of the HTTP surface's schema that name a place on the target: a route, a path, a test helper call. */

/** One route of a target's HTTP surface: a service of the profile, a method and a path. */
export const routeShape = (names?: ProfileNames) => ({
  service: serviceRef(names),
  method: oneOf(METHODS).meta({ description: "The route's HTTP method." }),
  path: path("/v1/orders").meta({ description: "The route's path on the service." }),
});
export const placeShape = (names?: ProfileNames) => ({
  service: serviceRef(names),
  path: path().meta({ description: "The path on the service." }),
});

/** A call to a test helper of the target (HC2's outage and its end); it must answer 2xx. */
export const helperRequest = (names?: ProfileNames) =>
  obj({
    service: serviceRef(names),
    method: oneOf(["POST", "PUT", "DELETE"]).meta({ description: "The helper's HTTP method." }),
    path: path("/test/outage").meta({ description: "The helper's path on the service." }),
    headers: headers()
      .optional()
      .meta({ description: "Secrets go here, read from the environment." }),
    body: z.string().optional().meta({ description: "The helper's request body, as sent." }),
  });

/** A route entry's identity: a name of probe.http.identities whose headers go with each request. */
export const identityRef = () =>
  z.string().optional().meta({
    description:
      "Sent as this identity (a name of `probe.http.identities`): its headers go with each request, for a route behind authentication.",
  });
