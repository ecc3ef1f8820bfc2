import { expect } from 'chai';
import {
  DYNAMODB_APP_ACTIONS,
  SESSION_MANAGER_ACTIONS,
  alertsTopicPolicy,
  apiInstancePolicy,
  bedrockModelStatements,
  sharedKeyStatement,
  dynamoDbResources,
  failoverWorkflowPolicy,
  renderTrustPolicy,
  secretArnInRegion,
  webInstancePolicy,
  type ArnContext,
} from '../../infra/policies.js';

// Pure policy documents. Does not prove IAM evaluates them as intended (that needs the IAM policy simulator/AWS).
const tokyo: ArnContext = { partition: 'aws', region: 'ap-northeast-1', accountId: '111122223333' };

describe('infra/policies', () => {
  it('dynamoDbResources: every data table (not control) and each of its GSIs, in the given region only', () => {
    expect(dynamoDbResources(tokyo, 'megaticket')).to.deep.equal([
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-performances',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-venues',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-schedules',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-schedules/index/byPerformance',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-bookings',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-bookings/index/byUser',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-bookings/index/liveHolds',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-users',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-sessions',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-queue',
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-audit',
    ]);
  });

  it('DYNAMODB_APP_ACTIONS: item-level only; no table management, no wildcard', () => {
    expect([...DYNAMODB_APP_ACTIONS]).to.deep.equal([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  it('bedrockModelStatements(global profile): profile ARN in the stack region + foundation model only via that profile', () => {
    const profile =
      'arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0';
    expect(bedrockModelStatements(tokyo, 'global.anthropic.claude-haiku-4-5-20251001-v1:0', 'P')).to.deep.equal([
      {
        Sid: 'PProfile',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [profile],
      },
      {
        Sid: 'PModelViaProfile',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'],
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
      },
    ]);
  });

  it('bedrockModelStatements(apac profile): same shape, the APAC destinations covered by * under the profile condition', () => {
    const [p, m] = bedrockModelStatements(tokyo, 'apac.amazon.nova-lite-v1:0', 'F');
    expect(p?.Resource).to.deep.equal([
      'arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/apac.amazon.nova-lite-v1:0',
    ]);
    expect(m?.Resource).to.deep.equal(['arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0']);
    expect(m?.Condition).to.deep.equal({
      StringEquals: { 'bedrock:InferenceProfileArn': p?.Resource[0] },
    });
  });

  it('bedrockModelStatements(plain model id): the model in the stack region only, no wildcard region', () => {
    expect(bedrockModelStatements(tokyo, 'amazon.nova-lite-v1:0', 'X')).to.deep.equal([
      {
        Sid: 'XModel',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: ['arn:aws:bedrock:ap-northeast-1::foundation-model/amazon.nova-lite-v1:0'],
      },
    ]);
  });

  const SEOUL_SECRET =
    'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:megaticket-csrf-key-secret-1a2b3c4-AbCdEf';
  const TOKYO_SECRET =
    'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:megaticket-csrf-key-secret-1a2b3c4-AbCdEf';
  const TOKYO_ADMISSION_SECRET =
    'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:megaticket-admission-key-secret-5e6f7a8-GhIjKl';

  it('secretArnInRegion: the replica keeps partition, account, name and suffix; only the region changes', () => {
    expect(secretArnInRegion(SEOUL_SECRET, 'ap-northeast-1')).to.equal(TOKYO_SECRET);
    expect(secretArnInRegion(TOKYO_SECRET, 'ap-northeast-2')).to.equal(SEOUL_SECRET);
    const govCloud = 'arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:a/b-XyZ123';
    expect(secretArnInRegion(govCloud, 'us-gov-east-1')).to.equal(
      'arn:aws-us-gov:secretsmanager:us-gov-east-1:111122223333:secret:a/b-XyZ123',
    );
    expect(() => secretArnInRegion('arn:aws:ssm:ap-northeast-2:111122223333:parameter/x', 'ap-northeast-1')).to.throw(
      'not a Secrets Manager secret ARN',
    );
    expect(() => secretArnInRegion('megaticket-csrf', 'ap-northeast-1')).to.throw('not a Secrets Manager secret ARN');
  });

  it('sharedKeyStatement: GetSecretValue only, on exactly the given ARN; a secret in another region is refused', () => {
    for (const sid of ['ReadCsrfKey', 'ReadAdmissionKey'] as const) {
      expect(sharedKeyStatement(tokyo, sid, TOKYO_SECRET)).to.deep.equal({
        Sid: sid,
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [TOKYO_SECRET],
      });
      expect(() => sharedKeyStatement(tokyo, sid, SEOUL_SECRET)).to.throw(
        `${sid}: the secret ${SEOUL_SECRET} is not in this stack's region ap-northeast-1`,
      );
    }
  });

  it('webInstancePolicy: artifact read + own log group + Session Manager + this region’s CSRF key; no DynamoDB, Bedrock or SSM parameter', () => {
    const doc = webInstancePolicy({
      ctx: tokyo,
      artifactBucket: 'bucket-1',
      logGroup: '/megaticket/tokyo/web-abc',
      csrfSecretArn: TOKYO_SECRET,
    });
    expect(doc.Statement.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      ['ReadAppArtifact', ['s3:GetObject'], ['arn:aws:s3:::bucket-1/artifacts/*']],
      [
        'ShipAppLog',
        ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        [
          'arn:aws:logs:ap-northeast-1:111122223333:log-group:/megaticket/tokyo/web-abc',
          'arn:aws:logs:ap-northeast-1:111122223333:log-group:/megaticket/tokyo/web-abc:log-stream:*',
        ],
      ],
      ['SessionManager', [...SESSION_MANAGER_ACTIONS], ['*']],
      ['ReadCsrfKey', ['secretsmanager:GetSecretValue'], [TOKYO_SECRET]],
    ]);
    expect(doc.Statement.flatMap((s) => s.Action).filter((a) => /^ssm:Get|^(dynamodb|bedrock):/.test(a))).to.deep.equal(
      [],
    );
  });

  it('SESSION_MANAGER_ACTIONS: exactly the Session Manager channel actions and agent registration, nothing that reads data', () => {
    expect([...SESSION_MANAGER_ACTIONS]).to.deep.equal([
      'ssm:UpdateInstanceInformation',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
  });

  it('apiInstancePolicy: no Resource "*" outside Session Manager, every regional ARN in the stack region, the DR state item read-only, the admission key secret only', () => {
    const doc = apiInstancePolicy({
      ctx: tokyo,
      artifactBucket: 'bucket-1',
      logGroup: '/megaticket/api',
      tablePrefix: 'megaticket',
      admissionSecretArn: TOKYO_ADMISSION_SECRET,
      bedrockModelIds: ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'apac.amazon.nova-lite-v1:0'],
    });
    const resources = doc.Statement.filter((s) => s.Sid !== 'SessionManager').flatMap((s) => s.Resource);
    expect(resources).not.to.include('*');
    for (const arn of resources) {
      const region = arn.split(':')[3];
      expect(['ap-northeast-1', '', '*'], arn).to.include(region);
      if (region === '*')
        expect(arn, 'only foundation models may use a * region').to.match(/^arn:aws:bedrock:\*::foundation-model\//);
    }
    expect(doc.Statement.find((s) => s.Sid === 'ReadDrState')).to.deep.equal({
      Sid: 'ReadDrState',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem'],
      Resource: ['arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-control'],
    });
    expect(doc.Statement.find((s) => s.Sid === 'ReadAdmissionKey')).to.deep.equal({
      Sid: 'ReadAdmissionKey',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [TOKYO_ADMISSION_SECRET],
    });
    expect(doc.Statement.find((s) => s.Sid === 'AppTables')?.Resource).not.to.include(
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-control',
    );
    // No SSM parameter read at all (the DR state is in the control table, the admission key in Secrets Manager).
    expect(doc.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('ssm:Get'))).to.deep.equal([]);
    expect(doc.Statement.find((s) => s.Sid === 'CatalogScan')?.Resource).to.deep.equal([
      'arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-performances',
    ]);
    expect(JSON.stringify(doc)).not.to.include('ap-northeast-2');
  });

  it('failoverWorkflowPolicy: PutItem on the control table in its region, UpdateHealthCheck on the gate, UpdateAutoScalingGroup on the given ASGs; nothing else', () => {
    const doc = failoverWorkflowPolicy({
      ctx: tokyo,
      drStateTable: 'megaticket-control',
      gateHealthCheckId: 'abcd-1234',
      autoScalingGroupArns: [
        'arn:aws:autoscaling:ap-northeast-1:111122223333:autoScalingGroup:x:autoScalingGroupName/api',
      ],
    });
    expect(doc.Statement).to.deep.equal([
      {
        Sid: 'WriteDrState',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem'],
        Resource: ['arn:aws:dynamodb:ap-northeast-1:111122223333:table/megaticket-control'],
      },
      {
        Sid: 'PinTrafficToStandby',
        Effect: 'Allow',
        Action: ['route53:UpdateHealthCheck'],
        Resource: ['arn:aws:route53:::healthcheck/abcd-1234'],
      },
      {
        Sid: 'RaiseStandbyCapacity',
        Effect: 'Allow',
        Action: ['autoscaling:UpdateAutoScalingGroup'],
        Resource: ['arn:aws:autoscaling:ap-northeast-1:111122223333:autoScalingGroup:x:autoScalingGroupName/api'],
      },
    ]);
  });

  it('alertsTopicPolicy: the account owner as before, plus EventBridge publishing from exactly the given rules', () => {
    const doc = alertsTopicPolicy({
      topicArn: 'arn:aws:sns:ap-northeast-1:111122223333:alerts',
      accountId: '111122223333',
      eventRuleArns: ['arn:aws:events:ap-northeast-1:111122223333:rule/status'],
    });
    expect(doc.Statement[0]?.Condition).to.deep.equal({ StringEquals: { 'AWS:SourceOwner': '111122223333' } });
    expect(doc.Statement[1]).to.deep.equal({
      Sid: 'FailoverWorkflowStatus',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: ['arn:aws:sns:ap-northeast-1:111122223333:alerts'],
      Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:ap-northeast-1:111122223333:rule/status'] } },
    });
  });

  it('renderTrustPolicy: service principal, guarded by aws:SourceAccount when given', () => {
    expect(JSON.parse(renderTrustPolicy('states.amazonaws.com', '111122223333'))).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        },
      ],
    });
  });
});
